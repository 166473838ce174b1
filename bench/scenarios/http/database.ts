// The database path: GET by id, a list page and POST create on "service" (no Redis, an in-process cache of
// 10 entries, so GET by id over the seeded ids is ~all misses) against fastify-pg, which runs the same SQL.
// The GETs are anonymous, as before the service checked tokens; POST needs one now: an admin's, since
// an ordinary user may create one profile only.
import type { Callers, Headers } from '../../lib/identity.js';
import type { LoadSpec } from '../../lib/load.js';
import type { Running } from '../../lib/proc.js';
import { pick } from '../../lib/random.js';
import type { Context, Scenario } from './scenario.js';

export const DB_PATH = 'GET by id';

/** Whose token the service side sends; none: anonymous. */
export type Caller = (callers: Callers) => Headers;

/** GET `<prefix>/<id>` of a random id of the set, a new one for every request. */
export function byId(prefix: string, set: 'ids' | 'hot' = 'ids', as?: Caller) {
  return (ctx: Context): LoadSpec => {
    const ids = ctx[set];
    return {
      path: `${prefix}/${ids[0]}`,
      ...(as ? { headers: as(ctx.callers) } : {}),
      next: () => ({ path: `${prefix}/${pick(ids)}` }),
    };
  };
}

/** POSTs with an email no other request (on either side, warm-up included) has used. */
function create(path: string, tag: string, as?: Caller) {
  let n = 0; // shared by every round and warm-up of this side
  return ({ runId, callers }: Context): LoadSpec => {
    const body = () => {
      n += 1;
      return JSON.stringify({
        name: `Bench ${tag} ${n}`,
        email: `${tag}-${runId}-${n}@bench.test`,
        bio: 'load test',
      });
    };
    return {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...as?.(callers) },
      body: body(),
      next: () => ({ body: body() }),
    };
  };
}

export const dbGetScenario: Scenario = {
  name: DB_PATH,
  baseline: 'fastify-pg',
  load: { service: byId('/api/v1/profiles'), baseline: byId('/profiles') },
};

export const listAndCreateScenarios: Scenario[] = [
  {
    name: 'GET list page',
    baseline: 'fastify-pg',
    load: { service: () => ({ path: '/api/v1/profiles?limit=20' }), baseline: () => ({ path: '/profiles' }) },
  },
  {
    name: 'POST create (admin token)',
    baseline: 'fastify-pg',
    load: {
      service: create('/api/v1/profiles', 'svc', (c) => c.admin),
      baseline: create('/profiles', 'base'),
    },
  },
];

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`preflight: GET ${url} answered ${res.status}`);
  return res.json();
}

/** Both sides must return the same data, or the comparison means nothing. */
export async function preflight(service: Running, baseline: Running, ids: readonly string[]): Promise<void> {
  const id = pick(ids);
  const [a, b] = await Promise.all([
    getJson(`${service.url}/api/v1/profiles/${id}`),
    getJson(`${baseline.url}/profiles/${id}`),
  ]);
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new Error(
      `preflight: GET by id differs\n service:  ${JSON.stringify(a)}\n baseline: ${JSON.stringify(b)}`,
    );
  }
  const [la, lb] = (await Promise.all([
    getJson(`${service.url}/api/v1/profiles?limit=20`),
    getJson(`${baseline.url}/profiles`),
  ])) as [Array<{ id: string }>, Array<{ id: string }>];
  const idsOf = (page: Array<{ id: string }>) => page.map((p) => p.id).join(',');
  if (la.length !== 20 || idsOf(la) !== idsOf(lb)) throw new Error('preflight: list pages differ');
}
