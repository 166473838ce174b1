// A target's memory, from /proc: what it holds now (VmRSS) and the most it ever held (VmHWM).
import { readFileSync } from 'node:fs';

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  // "VmRSS:	  123456 kB"
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
}

/** Resident memory of `pid` now, in MiB. */
export const rssMiB = (pid: number) => statusField(pid, 'VmRSS');

/** The highest resident memory `pid` has had since it started, in MiB. */
export const peakRssMiB = (pid: number) => statusField(pid, 'VmHWM');

/** A process's memory over a run, in MiB: once ready, the most seen while sampled, and its peak. */
export type MemoryRow = { target: string; idle: number; load: number; peak: number };

/**
 * Samples the resident memory of processes every `everyMs` while they work, keeping each one's
 * highest; `rows()` adds each one's peak (VmHWM), so it must be read before they exit.
 */
export function memoryWatch(everyMs = 250) {
  const watched = new Map<number, { target: string; idle: number; load: number }>();
  const sample = () => {
    for (const [pid, m] of watched) {
      try {
        m.load = Math.max(m.load, rssMiB(pid));
      } catch {
        // exited: its last sample stands
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    add: (p: { name: string; pid: number; idleRssMiB?: number }) =>
      watched.set(p.pid, { target: p.name, idle: p.idleRssMiB ?? Number.NaN, load: 0 }),
    rows: (): MemoryRow[] => {
      sample();
      return [...watched].map(([pid, m]) => ({ ...m, peak: peakRssMiB(pid) }));
    },
    stop: () => clearInterval(timer),
  };
}
