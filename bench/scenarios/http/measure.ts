// One scenario's comparison: interleaved rounds (A B A B …), the side that goes first alternating from one
// scenario to the next, each side keeping its best round, so that a burst of noise on a shared machine
// during one run does not decide the ratio.
import { failedNote, failures, keepBest, runLoad } from '../../lib/load.js';
import { cacheCounters } from '../../lib/metrics.js';
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import { fixed } from '../../lib/table.js';
import type { ServiceName } from '../../lib/targets.js';
import { warn } from '../../lib/warnings.js';
import type { Context, Measured, Pair, Scenario, ScenarioResult, Side } from './scenario.js';

/** One run of one side; the service's cache counters are read around the measured part, not the warm-up. */
async function measureRun(
  scenario: Scenario,
  side: Side,
  target: Running,
  ctx: Context,
  res: Resources,
): Promise<Measured> {
  const { connections, durationSec, warmupSec } = res.config;
  let before: { hits: number; misses: number } | undefined;
  const r: Measured = await runLoad(target.url, scenario.load[side](ctx), {
    connections,
    durationSec,
    warmupSec,
    ...(side === 'service'
      ? {
          beforeMeasure: async () => {
            before = await cacheCounters(target);
          },
        }
      : {}),
  });
  if (side === 'service' && before) {
    const after = await cacheCounters(target);
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    r.cache = { hits, misses, hitRatio: hits + misses > 0 ? hits / (hits + misses) : null };
  }
  return r;
}

function progress(r: Measured): string {
  const ratio = r.cache?.hitRatio;
  const hitNote = ratio !== null && ratio !== undefined ? `, cache hits ${fixed(ratio * 100, 1)}%` : '';
  return `${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms${hitNote}${failedNote(r)}`;
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
    ratios: { rps: s.rps / b.rps, p99: s.p99 / b.p99 },
    warnings,
  };
}
