// What each production feature costs a cached read: the anonymous cached GET by id under wrk (50
// connections) against service-redis at production settings, then with one feature after another turned
// off, and against fastify-redis, all running at once and driven in interleaved rounds. Each row's CPU
// per request minus the next row's is what the feature that row still has costs; req/s shares the cores
// with wrk, CPU per request does not.
import { cpuSeconds } from '../lib/cpu.js';
import { failedNote, failures, keepBest, type LoadResult } from '../lib/load.js';
import { cacheCounters } from '../lib/metrics.js';
import type { Running } from '../lib/proc.js';
import { sample } from '../lib/random.js';
import type { Resources } from '../lib/resources.js';
import { fixed } from '../lib/table.js';
import { type StartOptions, services, startBaseline } from '../lib/targets.js';
import { runWrk } from '../lib/wrk.js';

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
  const { durationSec, warmupSec } = res.config;
  const paths = hot.map((id) => `${side.prefix}/${id}`);
  let cpuStart = 0;
  let before = { hits: 0, misses: 0 };
  const result = await runWrk(
    side.target.url,
    { paths, connections: 50 },
    {
      connections: 50,
      durationSec,
      warmupSec,
      beforeMeasure: async () => {
        if (side.service) before = await cacheCounters(side.target);
        cpuStart = cpuSeconds(side.target.pid);
      },
    },
  );
  const cpuUs = ((cpuSeconds(side.target.pid) - cpuStart) / Math.max(result.requests, 1)) * 1e6;
  if (side.service) side.misses += (await cacheCounters(side.target)).misses - before.misses;
  side.kept = keepBest(side.kept, result);
  side.cpuUs.push(cpuUs);
  console.log(
    `  ${side.label}: ${fixed(result.rps, 0)} req/s, p99 ${fixed(result.p99)} ms, ${fixed(cpuUs, 1)} µs CPU/request${failedNote(result)}`,
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
