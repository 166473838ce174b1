// The growth part's table: each read at 10k, 100k and 1M profiles, beside its baseline at the same
// size and beside its own figure at the smallest size.
import { fixed, formatTable, left, right } from '../lib/table.js';
import type { GrowthResult } from './growth.js';

const ratio = (a: number, b: number | undefined) => (b ? `${fixed(a / b)}×` : '');

export function growthTable(r: GrowthResult): string {
  const first = new Map<string, { service: number; baseline?: number }>();
  for (const row of r.rows) {
    if (!first.has(row.scenario))
      first.set(row.scenario, {
        service: row.service.rps,
        ...(row.baseline ? { baseline: row.baseline.rps } : {}),
      });
  }
  return formatTable(
    [
      ...left('growth', 'profiles'),
      ...right('req/s', 'p99 ms', 'fastify-pg req/s', 'p99 ms', 'vs base', 'vs 10k', 'base vs 10k'),
    ],
    r.rows.map((row) => {
      const start = first.get(row.scenario);
      return [
        row.scenario,
        row.rows.toLocaleString('en'),
        fixed(row.service.rps, 0),
        fixed(row.service.p99),
        row.baseline ? fixed(row.baseline.rps, 0) : '',
        row.baseline ? fixed(row.baseline.p99) : '',
        ratio(row.service.rps, row.baseline?.rps),
        ratio(row.service.rps, start?.service),
        row.baseline ? ratio(row.baseline.rps, start?.baseline) : '',
      ];
    }),
  );
}

export const GROWTH_LEGEND =
  'vs base: the service ÷ fastify-pg on the same request at the same size; vs 10k: ÷ its own req/s at ' +
  "10,000 profiles (a drop that is not shared by the baseline is the service's own); the deep page reads 20 " +
  'rows after a cursor from the middle of the list order (fastify-pg has no cursor); best of BENCH_ROUNDS runs';
