// The tracing part's table: each scenario's req/s and p99 per sampling, and their ratio to tracing off.
import { fixed, formatTable, left, right } from '../lib/table.js';
import { TRACING_PART, type TracingResult } from './tracing.js';

export function tracingTable(r: TracingResult): string {
  const rows = r.runs.map((run) => [
    run.scenario,
    run.sampling,
    fixed(run.result.rps, 0),
    fixed(run.result.p99),
    `${fixed(run.ratio.rps)}×`,
    `${fixed(run.ratio.p99)}×`,
  ]);
  const table = formatTable(
    [...left(TRACING_PART, 'tracing'), ...right('req/s', 'p99 ms', 'req/s ÷ off', 'p99 ÷ off')],
    rows,
  );
  const exported = Object.entries(r.exported)
    .map(([label, n]) => `${label}: ${n}`)
    .join(', ');
  return `${table}\n\nOTLP export requests received: ${exported}`;
}
