// What tracing costs: the HTTP scenarios against three instances of the service started as production
// starts it (the tracing bootstrap loaded first), one with tracing off, one sampling 10 % of traces and
// one sampling all, each exporting to an OTLP receiver of the bench's own. Rounds interleave the three,
// the first of them rotating, each keeping its best; each is reported as a ratio to "off".
import { benchCallers } from '../lib/identity.js';
import { failedNote, failures, keepBest, type LoadResult, runLoad } from '../lib/load.js';
import { startOtlpSink } from '../lib/otlp-sink.js';
import type { Running } from '../lib/proc.js';
import { sample } from '../lib/random.js';
import type { Resources } from '../lib/resources.js';
import { fixed } from '../lib/table.js';
import { startTracedService } from '../lib/targets.js';
import { dbGetScenario, listAndCreateScenarios } from './http/database.js';
import type { Context, Scenario } from './http/scenario.js';

export const TRACING_PART = 'tracing cost';

const SAMPLINGS = [
  { label: 'off', otel: undefined },
  {
    label: '10 %',
    otel: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
  { label: '100 %', otel: { OTEL_TRACES_SAMPLER: 'always_on' } },
] as const;

export type Sampling = (typeof SAMPLINGS)[number]['label'];

export type TracingRun = {
  scenario: string;
  sampling: Sampling;
  result: LoadResult;
  ratio: { rps: number; p99: number };
};
export type TracingResult = { runs: TracingRun[]; exported: Record<Sampling, number>; warnings: string[] };

const SCENARIOS: Scenario[] = [dbGetScenario, ...listAndCreateScenarios];

type Variant = { label: Sampling; target: Running; exports: () => number };

async function startVariants(res: Resources, sinks: { close(): Promise<void> }[]): Promise<Variant[]> {
  const variants: Variant[] = [];
  for (const { label, otel } of SAMPLINGS) {
    const sink = await startOtlpSink();
    sinks.push(sink);
    const env = otel
      ? {
          ...otel,
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_SERVICE_NAME: 'profile-server-bench',
        }
      : {};
    const name = `service-trace-${label.replace(/\W+/g, '')}`;
    variants.push({
      label,
      target: await startTracedService(res, name, env),
      exports: () => sink.received().exports,
    });
  }
  return variants;
}

/** One scenario on the three: `rounds` interleaved rounds, the first side rotating with `index`. */
async function measure(scenario: Scenario, variants: Variant[], ctx: Context, index: number, res: Resources) {
  const { connections, durationSec, warmupSec, rounds } = res.config;
  const kept = new Map<Sampling, LoadResult>();
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(index + round + k) % variants.length] as Variant;
      const r = await runLoad(v.target.url, scenario.load.service(ctx), {
        connections,
        durationSec,
        warmupSec,
      });
      console.log(
        `  ${scenario.name}, tracing ${v.label}: ${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms${failedNote(r)}`,
      );
      kept.set(v.label, keepBest(kept.get(v.label), r));
    }
  }
  const off = kept.get('off') as LoadResult;
  return variants.map((v): TracingRun => {
    const result = kept.get(v.label) as LoadResult;
    return {
      scenario: scenario.name,
      sampling: v.label,
      result,
      ratio: { rps: result.rps / off.rps, p99: result.p99 / off.p99 },
    };
  });
}

export async function runTracing(res: Resources, ids: readonly string[]): Promise<TracingResult> {
  console.log(`\n${TRACING_PART}: the HTTP scenarios with tracing off, at 10 % and at 100 %`);
  const sinks: { close(): Promise<void> }[] = [];
  try {
    const variants = await startVariants(res, sinks);
    const callers = await benchCallers(res.config.dbUrl, ids, res.config.owners);
    const ctx: Context = {
      ids,
      hot: sample(ids, res.config.hotSetSize),
      runId: `t${Date.now().toString(36)}`,
      callers,
    };
    const runs: TracingRun[] = [];
    for (const [i, scenario] of SCENARIOS.entries())
      runs.push(...(await measure(scenario, variants, ctx, i, res)));
    // The batch processor exports every few seconds: what is still queued goes at the next tick.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const exported = Object.fromEntries(variants.map((v) => [v.label, v.exports()])) as Record<
      Sampling,
      number
    >;
    const warnings = runs
      .filter((r) => failures(r.result) > 0)
      .map((r) => `${r.scenario}, tracing ${r.sampling}: requests failed`);
    if (exported.off > 0) warnings.push(`tracing off exported ${exported.off} batches: it is not off`);
    if (exported['100 %'] === 0) warnings.push('tracing at 100 % exported nothing: it is not on');
    return { runs, exported, warnings };
  } finally {
    for (const s of sinks) await s.close();
  }
}
