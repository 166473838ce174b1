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
