// The HTTP targets' memory over the run: resident once ready, at the end of their scenarios' kept
// runs, and the highest they reached.
import { fixed, formatTable, left, right } from '../../lib/table.js';
import type { ScenarioResult } from './scenario.js';

export function memoryTable(results: ScenarioResult[]): string {
  const byTarget = new Map<string, { idle: number; load: number; peak: number }>();
  for (const r of results) {
    for (const m of [r.memory.service, r.memory.baseline]) {
      const seen = byTarget.get(m.target);
      byTarget.set(m.target, {
        idle: seen?.idle ?? m.idle,
        load: Math.max(seen?.load ?? 0, m.load),
        peak: Math.max(seen?.peak ?? 0, m.peak),
      });
    }
  }
  return formatTable(
    [...left('RSS (MiB)'), ...right('idle', 'under load', 'peak')],
    [...byTarget].map(([target, m]) => [target, fixed(m.idle, 0), fixed(m.load, 0), fixed(m.peak, 0)]),
  );
}

export const MEMORY_LEGEND =
  "idle: resident once ready, before any load; under load: the most at the end of one of its scenarios' " +
  'kept runs; peak: the highest it reached (VmHWM), warm-ups and profiles included';
