// Where each HTTP scenario's CPU went: the functions with the most self time in the service's profile
// beside those in its baseline's.
import type { PackageTime, SelfTime } from '../../lib/cpu.js';
import { fixed, formatTable, left } from '../../lib/table.js';
import type { ScenarioResult, SideProfile } from './scenario.js';

export const PROFILE_LEGEND =
  'self time: share of the busy samples (idle left out) in which the function itself was running, from a ' +
  'CPU profile of each side taken over BENCH_PROFILE seconds of the scenario after its measured rounds ' +
  '(the inspector samples every 0.5 ms; the measured rounds run unprofiled)';

/** One function's share of the self time, its name and where it is. */
export const fnCell = (t: SelfTime | undefined) =>
  t ? `${fixed(t.pct, 1).padStart(5)}% ${t.fn} ${t.where}` : '';

/** Self time by owner, on one line. */
export const ownersLine = (byOwner: readonly PackageTime[]) =>
  byOwner.map((o) => `${o.owner} ${fixed(o.pct, 1)}%`).join(', ');

/** Each scenario's top self-time functions, the service's beside its baseline's. */
export function profileTables(results: ScenarioResult[]): string {
  const parts: string[] = [];
  for (const r of results) {
    const { service, baseline } = r.profiles;
    if (!service && !baseline) continue;
    const rows = Array.from(
      { length: Math.max(service?.top.length ?? 0, baseline?.top.length ?? 0) },
      (_, i) => [fnCell(service?.top[i]), fnCell(baseline?.top[i])],
    );
    const header = left(`${r.name}: ${r.serviceName} (self time)`, `${r.baseline} (self time)`);
    const files = [service?.file, baseline?.file].filter(Boolean).join(', ');
    const owners = (p: SideProfile | undefined) => (p ? ownersLine(p.byOwner) : '');
    parts.push(
      `${formatTable(header, rows)}\n` +
        `by owner: ${r.serviceName}: ${owners(service)}\n          ${r.baseline}: ${owners(baseline)}\n` +
        `profiles: ${files}`,
    );
  }
  return parts.join('\n\n');
}
