// What each production feature costs a cached read: the anonymous cached GET by id under wrk (50
// connections) against service-redis at production settings, then with one feature after another turned
// off, and against fastify-redis, all running at once and driven in interleaved rounds. Each row's CPU
// per request minus the next row's is what the feature that row still has costs; req/s shares the cores
// with wrk, CPU per request does not.
import { failedNote, failures, keepBest, type LoadResult } from '../lib/load.js';
import type { Running } from '../lib/proc.js';
import { sample } from '../lib/random.js';
import type { Resources } from '../lib/resources.js';
import { fixed } from '../lib/table.js';
import { type StartOptions, services, startBaseline } from '../lib/targets.js';
import { measureLoad } from './http/measure.js';

export const FEATURES_PART = 'feature cost';

const BASELINE = 'fastify-redis';

/** Top to bottom, each step turns one more thing off. */
const STEPS: ReadonlyArray<{ label: string; opts: StartOptions }> = [
  { label: 'production', opts: { settings: 'production' } },
  { label: '− sampled traces', opts: { settings: 'production', env: { OTEL_TRACES_SAMPLER_ARG: '0' } } },
  { label: '− tracing', opts: { settings: 'production', env: { OTEL_SDK_DISABLED: 'true' } } },
  { label: '− rate limits', opts: { settings: 'capacity' } },
  { label: '− access line', opts: { settings: 'capacity', env: { LOG_LEVEL: 'warn' } } },
];

export type FeatureRow = {
  label: string;
  /** The best round by req/s. */
  result: LoadResult;
  /** The target's own CPU per request in each round, µs, lowest first. */
  cpuUs: number[];
  /** The service's cache misses while measured: above 0, not every read was a hit (0 for the baseline). */
  misses: number;
};
export type FeaturesResult = { rows: FeatureRow[]; warnings: string[] };

type Side = {
  label: string;
  target: Running;
  prefix: string;
  /** A service, with cache counters to check (the baseline has none). */
  service: boolean;
  kept?: LoadResult;
  cpuUs: number[];
  misses: number;
};

const newSide = (label: string, target: Running, service: boolean): Side => ({
  label,
  target,
  prefix: service ? '/api/v1/profiles' : '/profiles',
  service,
  cpuUs: [],
  misses: 0,
});

async function startSides(res: Resources): Promise<Side[]> {
  const sides: Side[] = [];
  for (const [i, step] of STEPS.entries()) {
    const target = await services['service-redis'](res, { ...step.opts, label: `service-redis-f${i}` });
    sides.push(newSide(step.label, target, true));
  }
  sides.push(newSide(`baseline ${BASELINE}`, await startBaseline(res, BASELINE), false));
  return sides;
}

/** One measured wrk run; the CPU the target used between warm-up and end, per request. */
async function measureOnce(side: Side, hot: readonly string[], res: Resources) {
  const paths = hot.map((id) => `${side.prefix}/${id}`);
  const r = await measureLoad(
    side.target,
    { path: paths[0] as string, wrk: { paths, connections: 50 } },
    side.service,
    res,
  );
  const cpuUs = r.cpuUsPerRequest as number;
  side.misses += r.cache?.misses ?? 0;
  side.kept = keepBest(side.kept, r);
  side.cpuUs.push(cpuUs);
  console.log(
    `  ${side.label}: ${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms, ${fixed(cpuUs, 1)} µs CPU/request${failedNote(r)}`,
  );
}

export async function runFeatures(res: Resources, ids: readonly string[]): Promise<FeaturesResult> {
  console.log(`\n${FEATURES_PART}: cached GET by id under wrk, one production feature off at a time`);
  const sides = await startSides(res);
  const hot = sample(ids, res.config.hotSetSize);
  // Started first, all of them: each start empties the cache's keys. Then one GET per id on each fills
  // Redis (the first) and every service's near cache; the baseline reads what they wrote.
  for (const s of sides)
    for (const id of hot) await (await fetch(`${s.target.url}${s.prefix}/${id}`)).arrayBuffer();
  for (let round = 0; round < res.config.rounds; round++) {
    for (let k = 0; k < sides.length; k++)
      await measureOnce(sides[(round + k) % sides.length] as Side, hot, res);
  }
  for (const s of sides) await s.target.stop();
  const rows = sides.map(
    (s): FeatureRow => ({
      label: s.label,
      result: s.kept as LoadResult,
      cpuUs: [...s.cpuUs].sort((a, b) => a - b),
      misses: s.misses,
    }),
  );
  const warnings = [
    ...rows.filter((r) => failures(r.result) > 0).map((r) => `${r.label}: requests failed`),
    ...rows.filter((r) => r.misses > 0).map((r) => `${r.label}: ${r.misses} cache misses while measured`),
  ];
  return { rows, warnings };
}
