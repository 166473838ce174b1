// One scenario's comparison: interleaved rounds (A B A B …), the side that goes first alternating from one
// scenario to the next, each side keeping its best round, so that a burst of noise on a shared machine
// during one run does not decide the ratio.
import { cpuByProcess, cpuSeconds, cpuUsedBetween, profileWhile, saveProfile } from '../../lib/cpu.js';

/** The servers behind the targets, whose CPU per request is read beside the target's own. */
const BACKENDS = ['postgres', 'redis-server'] as const;

import { failedNote, failures, keepBest, type LoadSpec, runLoad } from '../../lib/load.js';
import { peakRssMiB, rssMiB } from '../../lib/memory.js';
import { cacheCounters } from '../../lib/metrics.js';
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import { fixed } from '../../lib/table.js';
import type { ServiceName } from '../../lib/targets.js';
import { warn } from '../../lib/warnings.js';
import type { Context, Measured, Pair, Scenario, ScenarioResult, Side, SideProfile } from './scenario.js';

/** One run of one side; the service's cache counters are read around the measured part, not the warm-up. */
const measureRun = (scenario: Scenario, side: Side, target: Running, ctx: Context, res: Resources) =>
  measureLoad(target, scenario.load[side](ctx), side === 'service', res);

/**
 * One measured run of `spec` on `target`: its own CPU and the backends' per request, its memory, and
 * (`isService`) its cache counters over the measured part.
 */
export async function measureLoad(
  target: Running,
  spec: LoadSpec,
  isService: boolean,
  res: Resources,
): Promise<Measured> {
  const { connections, durationSec, warmupSec } = res.config;
  let before: { hits: number; misses: number } | undefined;
  let cpuBefore = 0;
  let backendsBefore: ReturnType<typeof cpuByProcess> = new Map();
  const r: Measured = await runLoad(target.url, spec, {
    connections,
    durationSec,
    warmupSec,
    beforeMeasure: async () => {
      if (isService) before = await cacheCounters(target);
      cpuBefore = cpuSeconds(target.pid);
      backendsBefore = cpuByProcess(BACKENDS);
    },
  });
  const perRequest = (seconds: number) => (seconds * 1e6) / Math.max(1, r.requests);
  r.cpuUsPerRequest = perRequest(cpuSeconds(target.pid) - cpuBefore);
  const backends = cpuUsedBetween(backendsBefore, cpuByProcess(BACKENDS));
  r.backendCpuUsPerRequest = {
    postgres: perRequest(backends.postgres ?? 0),
    redis: perRequest(backends['redis-server'] ?? 0),
  };
  r.rssMiB = rssMiB(target.pid);
  if (isService && before) {
    const after = await cacheCounters(target);
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    r.cache = { hits, misses, hitRatio: hits + misses > 0 ? hits / (hits + misses) : null };
  }
  return r;
}

/** A CPU profile of one side under the scenario's load, saved beside the results; its top self time. */
async function profileSide(
  scenario: Scenario,
  side: Side,
  target: Running,
  ctx: Context,
  res: Resources,
): Promise<SideProfile | undefined> {
  const { connections, profileSec } = res.config;
  if (profileSec === 0 || target.inspectPort === undefined) return undefined;
  const profile = await profileWhile(target.inspectPort, () =>
    runLoad(target.url, scenario.load[side](ctx), { connections, durationSec: profileSec, warmupSec: 0 }),
  );
  const slug = scenario.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return saveProfile(`${slug}.${target.name}`, profile);
}

const memoryOf = (target: Running, kept: Measured) => ({
  target: target.name,
  idle: target.idleRssMiB ?? Number.NaN,
  load: kept.rssMiB ?? Number.NaN,
  peak: peakRssMiB(target.pid),
});

function progress(r: Measured): string {
  const ratio = r.cache?.hitRatio;
  const hitNote = ratio !== null && ratio !== undefined ? `, cache hits ${fixed(ratio * 100, 1)}%` : '';
  const cpu = `, ${fixed(r.cpuUsPerRequest ?? Number.NaN, 0)} µs CPU/req`;
  return `${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms${cpu}${hitNote}${failedNote(r)}`;
}

/** A cached scenario that its cache did not serve has measured the database instead. */
function cacheWarning(
  scenario: Scenario,
  serviceName: ServiceName,
  kept: Measured,
  service: Running,
): string | undefined {
  const ratio = kept.cache?.hitRatio;
  if (!scenario.expectCacheHits || (ratio !== null && ratio !== undefined && ratio >= 0.99)) return undefined;
  const served = ratio === null || ratio === undefined ? 'no lookups' : `${fixed(ratio * 100, 1)}%`;
  return (
    `${serviceName} served ${served} ` +
    `of "${scenario.name}" from its cache (expected ~100%; see ${service.logFile})`
  );
}

/** `index` is the scenario's place in the run: it decides which side goes first. */
export async function measureScenario(
  scenario: Scenario,
  pair: Pair,
  ctx: Context,
  index: number,
  res: Resources,
): Promise<ScenarioResult> {
  const serviceName = scenario.service ?? 'service';
  const warnings: string[] = [];
  warn(warnings, (await scenario.prepare?.(pair, ctx, res)) ?? []);
  const order: Side[] = index % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service'];
  const kept: Partial<Record<Side, Measured>> = {};
  for (let round = 0; round < res.config.rounds; round++) {
    for (const side of order) {
      process.stdout.write(`${scenario.name} → ${pair[side].name} (round ${round + 1}) … `);
      const r = await measureRun(scenario, side, pair[side], ctx, res);
      kept[side] = keepBest(kept[side], r);
      console.log(progress(r));
    }
  }
  const s = kept.service as Measured;
  const b = kept.baseline as Measured;
  const profiles: Partial<Record<Side, SideProfile>> = {};
  for (const side of order) {
    const p = await profileSide(scenario, side, pair[side], ctx, res);
    if (p) profiles[side] = p;
  }
  const cacheProblem = cacheWarning(scenario, serviceName, s, pair.service);
  if (cacheProblem) warn(warnings, [cacheProblem]);
  return {
    name: scenario.name,
    serviceName,
    baseline: scenario.baseline,
    order,
    flagged: failures(s) + failures(b) > 0,
    service: s,
    baselineResult: b,
    ratios: {
      rps: s.rps / b.rps,
      p99: s.p99 / b.p99,
      cpu: (s.cpuUsPerRequest ?? Number.NaN) / (b.cpuUsPerRequest ?? Number.NaN),
    },
    profiles,
    memory: {
      service: memoryOf(pair.service, s),
      baseline: memoryOf(pair.baseline, b),
    },
    warnings,
  };
}
