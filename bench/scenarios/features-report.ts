// The feature-cost part's table: per step, req/s and p99 (best round), CPU per request (median and
// range over rounds), what the step saved (the row above's median minus its own: what the feature it
// turns off costs; on the baseline's row, what the service does beyond it), and the ratios to the
// baseline (last row).
import { fixed, formatTable, left, right } from '../lib/table.js';
import { FEATURES_PART, type FeatureRow, type FeaturesResult } from './features.js';

const median = (sorted: readonly number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;

export function featuresTable(r: FeaturesResult): string {
  const base = r.rows.at(-1) as FeatureRow;
  const rows = r.rows.map((row, i) => {
    const above = r.rows[i - 1];
    const cpu = median(row.cpuUs);
    return [
      row.label,
      fixed(row.result.rps, 0),
      fixed(row.result.p99),
      fixed(cpu, 1),
      `${fixed(row.cpuUs[0] ?? Number.NaN, 0)}–${fixed(row.cpuUs.at(-1) ?? Number.NaN, 0)}`,
      above ? fixed(median(above.cpuUs) - cpu, 1) : '',
      `${fixed(row.result.rps / base.result.rps)}×`,
      `${fixed(row.result.p99 / base.result.p99)}×`,
      `${fixed(cpu / median(base.cpuUs))}×`,
    ];
  });
  const columns = [
    ...left(FEATURES_PART),
    ...right('req/s', 'p99 ms', 'CPU µs/req', 'range', 'saved', 'req/s ÷ base', 'p99 ÷ base', 'CPU ÷ base'),
  ];
  return `${formatTable(columns, rows)}\n\nsaved: CPU µs per request below the row above (medians over rounds).`;
}
