// The identity scenarios: the same reads as the anonymous ones with an ordinary user's token (who owns
// none of the profiles read, so the service sends the same public bytes: the difference is the token
// check alone), and PATCH as a profile's owner and as an admin. The baselines take no token, so each
// scenario's ratio to its baseline includes what the service spends on the token; auth-cost.ts sets the
// token-carrying reads beside their anonymous twins of the same run.
import type { Headers } from '../../lib/identity.js';
import type { LoadSpec } from '../../lib/load.js';
import { pick } from '../../lib/random.js';
import { cachedScenario } from './cached.js';
import { byId } from './database.js';
import type { Context, Scenario } from './scenario.js';

export const AUTH_GET = 'GET by id (user token)';
export const AUTH_CACHED = 'GET by id (cached, user token)';

/** A profile to PATCH and the token to send with it (none on the baseline). */
type Target = { id: string; headers?: Headers };

/** PATCHes the bio of a random target per request; only the version and bio change, never an email. */
function patch(prefix: string, targets: (ctx: Context) => readonly Target[]) {
  let n = 0; // shared by every round and warm-up of this side
  return (ctx: Context): LoadSpec => {
    const list = targets(ctx);
    const next = () => {
      const t = pick(list);
      n += 1;
      return { path: `${prefix}/${t.id}`, body: JSON.stringify({ bio: `patched ${n}` }), headers: t.headers };
    };
    const first = next();
    return {
      method: 'PATCH',
      path: first.path,
      headers: { 'content-type': 'application/json', ...first.headers },
      body: first.body,
      next,
    };
  };
}

export const authenticatedDbGet: Scenario = {
  name: AUTH_GET,
  baseline: 'fastify-pg',
  load: { service: byId('/api/v1/profiles', 'ids', (c) => c.user), baseline: byId('/profiles') },
};

export const patchScenarios: Scenario[] = [
  {
    // Each of the owners (lib/identity.ts) updates their own profile: the statement checks the row's owner.
    name: 'PATCH update (owner token)',
    baseline: 'fastify-pg',
    load: {
      service: patch('/api/v1/profiles', (ctx) => ctx.callers.owners),
      baseline: patch('/profiles', (ctx) => ctx.callers.owners.map(({ id }) => ({ id }))),
    },
  },
  {
    name: 'PATCH update (admin token)',
    baseline: 'fastify-pg',
    load: {
      service: patch('/api/v1/profiles', (ctx) => ctx.ids.map((id) => ({ id, headers: ctx.callers.admin }))),
      baseline: patch('/profiles', (ctx) => ctx.ids.map((id) => ({ id }))),
    },
  },
];

/** The hot set as the anonymous cached scenario warms it; then read with the user's token. */
export const authenticatedCachedGet: Scenario = {
  ...cachedScenario,
  name: AUTH_CACHED,
  load: { service: byId('/api/v1/profiles', 'hot', (c) => c.user), baseline: byId('/profiles', 'hot') },
};
