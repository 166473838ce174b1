// Memory over the run: resident once ready, under load, and the highest reached; for the HTTP
// targets (merged over their scenarios) and for the task parts' processes.
import type { MemoryRow } from '../../lib/memory.js';
import { fixed, formatTable, left, right } from '../../lib/table.js';
import type { ScenarioResult } from './scenario.js';

export function rssTable(rows: MemoryRow[]): string {
  return formatTable(
    [...left('RSS (MiB)'), ...right('idle', 'under load', 'peak')],
    rows.map((m) => [m.target, fixed(m.idle, 0), fixed(m.load, 0), fixed(m.peak, 0)]),
  );
}

export function memoryTable(results: ScenarioResult[]): string {
  const byTarget = new Map<string, MemoryRow>();
  for (const r of results) {
    for (const m of [r.memory.service, r.memory.baseline]) {
      const seen = byTarget.get(m.target);
      byTarget.set(m.target, {
        target: m.target,
        idle: seen?.idle ?? m.idle,
        load: Math.max(seen?.load ?? 0, m.load),
        peak: Math.max(seen?.peak ?? 0, m.peak),
      });
    }
  }
  return rssTable([...byTarget.values()]);
}

export const MEMORY_LEGEND =
  "idle: resident once ready, before any load; under load: the most at the end of one of its scenarios' " +
  'kept runs; peak: the highest it reached (VmHWM), warm-ups and profiles included';

export const TASKS_MEMORY_LEGEND =
  'task parts: idle once ready; under load: the most sampled (every 250 ms) while the parts ran, warm-ups ' +
  'included; peak: VmHWM (the API since it started, so its HTTP scenarios included)';
