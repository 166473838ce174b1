// GET by id from the service's Redis cache ("service-redis") against fastify-redis, which answers from the
// very entries the service wrote; then that scenario beside the database path, which is what a cache is for.
import { eachLimit } from '../../lib/concurrency.js';
import type { LoadSpec } from '../../lib/load.js';
import type { Running } from '../../lib/proc.js';
import { sample } from '../../lib/random.js';
import type { Resources } from '../../lib/resources.js';
import type { ServiceName } from '../../lib/targets.js';
import { byId, DB_PATH } from './database.js';
import type { Context, Pair, Scenario, ScenarioResult } from './scenario.js';

export const CACHED = 'GET by id (cached)';

/** One GET each fills service-redis's cache with the hot set; returns how many entries Redis then holds. */
async function fillHotSet(service: Running, hot: readonly string[], res: Resources): Promise<number> {
  const xCache: Record<string, number> = {};
  await eachLimit(hot, 8, async (id) => {
    const r = await fetch(`${service.url}/api/v1/profiles/${id}`);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`warm-up: GET ${id} on ${service.name} answered ${r.status}`);
    const header = r.headers.get('x-cache') ?? '(none)';
    xCache[header] = (xCache[header] ?? 0) + 1;
  });
  const entryPrefix = `${res.config.cacheKeyPrefix}e:`;
  const present = await (await res.redis()).exists(...hot.map((id) => entryPrefix + id));
  console.log(
    `warmed ${hot.length} hot ids on ${service.name} (x-cache: ${Object.entries(xCache)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ${present} of them cached in Redis`,
  );
  return present;
}

/** A second GET of a few hot ids must be a hit, and fastify-redis must send byte for byte the same body. */
async function probeHotSet(
  { service, baseline }: Pair,
  hot: readonly string[],
): Promise<{ probed: number; warnings: string[] }> {
  const warnings: string[] = [];
  const probes = sample(hot, 5);
  for (const id of probes) {
    const [a, b] = await Promise.all([
      fetch(`${service.url}/api/v1/profiles/${id}`),
      fetch(`${baseline.url}/profiles/${id}`),
    ]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    if (a.status !== 200 || b.status !== 200) {
      throw new Error(
        `preflight: GET ${id} answered ${a.status} (${service.name}), ${b.status} (${baseline.name})`,
      );
    }
    const header = a.headers.get('x-cache');
    if (header !== 'HIT') {
      warnings.push(
        `${service.name}: second GET of hot id ${id} answered x-cache: ${header ?? '(none)'}, not HIT`,
      );
    }
    if (ta !== tb) {
      throw new Error(`preflight: GET ${id} differs\n ${service.name}: ${ta}\n ${baseline.name}: ${tb}`);
    }
    if (!b.headers.get('content-type')?.startsWith('application/json')) {
      throw new Error(`preflight: ${baseline.name} sent content-type ${b.headers.get('content-type')}`);
    }
  }
  return { probed: probes.length, warnings };
}

/** fastify-redis serves only what service-redis cached, so the hot set is cached before either is measured. */
async function warmHotSet(pair: Pair, { hot }: Context, res: Resources): Promise<string[]> {
  const warnings: string[] = [];
  const present = await fillHotSet(pair.service, hot, res);
  if (present !== hot.length) {
    warnings.push(
      `${pair.service.name} filled only ${present} of ${hot.length} hot ids into Redis after one GET each ` +
        `(keys ${res.config.cacheKeyPrefix}e:<id>); see ${pair.service.logFile}`,
    );
  }
  const probe = await probeHotSet(pair, hot);
  warnings.push(...probe.warnings);
  if (warnings.length === 0)
    console.log(`second GET of ${probe.probed} hot ids: x-cache: HIT, same body on both`);
  return warnings;
}

export const cachedScenario: Scenario = {
  name: CACHED,
  service: 'service-redis',
  baseline: 'fastify-redis',
  load: { service: byId('/api/v1/profiles', 'hot'), baseline: byId('/profiles', 'hot') },
  prepare: warmHotSet,
  expectCacheHits: true,
};

export const CACHED_WRK = 'GET by id (cached, wrk)';

/** The same cached reads driven by wrk, with 50 connections, as the independent check of them. */
const withWrk =
  (prefix: string) =>
  (ctx: Context): LoadSpec => ({
    path: `${prefix}/${ctx.hot[0]}`,
    wrk: { paths: ctx.hot.map((id) => `${prefix}/${id}`), connections: 50 },
  });

export const cachedWrkScenario: Scenario = {
  ...cachedScenario,
  name: CACHED_WRK,
  load: { service: withWrk('/api/v1/profiles'), baseline: withWrk('/profiles') },
};

const derivedTargets = [
  { name: 'cached req/s vs fastify-redis', op: '>=', bound: 0.85 },
  { name: 'cached p99 vs fastify-redis', op: '<=', bound: 1.5 },
  { name: 'cached req/s vs DB GET', op: '>=', bound: 3 },
  { name: 'cached (wrk) req/s vs fastify-redis', op: '>=', bound: 0.85 },
  { name: 'cached (wrk) p99 vs fastify-redis', op: '<=', bound: 1.5 },
] as const;

export type Derived = {
  name: 'cached GET vs DB GET';
  cached: { scenario: string; target: ServiceName; rps: number; p99: number };
  db: { scenario: string; target: ServiceName; rps: number; p99: number };
  /** cached ÷ DB */
  rpsRatio: number;
  p99Ratio: number;
  vsFastifyRedis: { rps: number; p99: number };
  targets: Array<{ name: string; op: '>=' | '<='; bound: number; value: number; met: boolean }>;
};

const figures = (r: ScenarioResult) => ({
  scenario: r.name,
  target: r.serviceName,
  rps: r.service.rps,
  p99: r.service.p99,
});

/** The same service with its Redis cache hot vs its database path; undefined unless both ran. */
export function derive(results: ScenarioResult[]): Derived | undefined {
  const cached = results.find((r) => r.name === CACHED);
  const db = results.find((r) => r.name === DB_PATH);
  if (!cached || !db) return undefined;
  const wrk = results.find((r) => r.name === CACHED_WRK);
  const rpsRatio = cached.service.rps / db.service.rps;
  const values: Record<(typeof derivedTargets)[number]['name'], number> = {
    'cached req/s vs fastify-redis': cached.ratios.rps,
    'cached p99 vs fastify-redis': cached.ratios.p99,
    'cached req/s vs DB GET': rpsRatio,
    'cached (wrk) req/s vs fastify-redis': wrk?.ratios.rps ?? Number.NaN,
    'cached (wrk) p99 vs fastify-redis': wrk?.ratios.p99 ?? Number.NaN,
  };
  return {
    name: 'cached GET vs DB GET',
    cached: figures(cached),
    db: figures(db),
    rpsRatio,
    p99Ratio: cached.service.p99 / db.service.p99,
    vsFastifyRedis: { rps: cached.ratios.rps, p99: cached.ratios.p99 },
    targets: derivedTargets
      .filter((t) => wrk || !t.name.includes('(wrk)'))
      .map((t) => {
        const value = values[t.name];
        return { ...t, value, met: t.op === '>=' ? value >= t.bound : value <= t.bound };
      }),
  };
}
