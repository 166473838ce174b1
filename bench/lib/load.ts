// Drives one target with autocannon: an unrecorded warm-up, then the measured run.
import autocannon from 'autocannon';
import { runWrk, type WrkSpec } from './wrk.js';

/**
 * What to send. `next` runs before every request and may override path and body (random ids, unique
 * emails) and add headers (the token of the owner of the profile it picked).
 */
export type LoadSpec = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  next?: () => { path?: string; body?: string | Buffer; headers?: Record<string, string> };
  /** Drive with wrk instead (GETs of these paths at random, on its own number of connections). */
  wrk?: WrkSpec;
};

export type LoadOptions = {
  connections: number;
  durationSec: number;
  /** Unrecorded run right before the measured one; 0 skips it. */
  warmupSec: number;
  timeoutSec?: number;
  /** Runs after the warm-up, right before the measured run (e.g. to snapshot the target's counters). */
  beforeMeasure?: () => Promise<void>;
};

export type LoadResult = {
  /** Mean completed requests per second (autocannon's per-second samples). */
  rps: number;
  /** Latency of 2xx responses, in ms, from exact (sub-millisecond) response times: mean and percentiles. */
  mean: number;
  p50: number;
  p99: number;
  /** Completed responses, any status. */
  requests: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSec: number;
};

/** Non-2xx responses plus connection errors: anything above 0 makes a run suspect. */
export const failures = (r: LoadResult) => r.non2xx + r.errors;

/** The end of a run's progress line: how many requests failed, if any did. */
export const failedNote = (r: LoadResult) => (failures(r) ? `, ${failures(r)} FAILED` : '');

/**
 * Of interleaved rounds, the one to keep: the faster, except that a round with failures stays kept, so that
 * one clean round cannot hide a broken one.
 */
export function keepBest<T extends LoadResult>(kept: T | undefined, round: T): T {
  if (!kept) return round;
  return failures(kept) === 0 && (failures(round) > 0 || round.rps > kept.rps) ? round : kept;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

async function fire(url: string, spec: LoadSpec, opts: LoadOptions, seconds: number, latencies?: number[]) {
  const { next } = spec;
  const request: autocannon.Request = {
    method: spec.method ?? 'GET',
    path: spec.path,
    ...(spec.headers ? { headers: spec.headers } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(next
      ? {
          setupRequest: (req: autocannon.RawRequest) => {
            const o = next();
            if (o.path !== undefined) req.path = o.path;
            if (o.body !== undefined) req.body = o.body;
            // autocannon hands each request a copy of the spec's headers: adding to it changes this one only.
            if (o.headers !== undefined) req.headers = { ...req.headers, ...o.headers };
            return req;
          },
        }
      : {}),
  };
  const instance = autocannon({
    url,
    connections: opts.connections,
    duration: seconds,
    timeout: opts.timeoutSec ?? 10,
    requests: [request],
  });
  if (latencies) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  }
  return await instance;
}

export async function runLoad(url: string, spec: LoadSpec, opts: LoadOptions): Promise<LoadResult> {
  if (spec.wrk) return runWrk(url, spec.wrk, opts);
  if (opts.warmupSec > 0) await fire(url, spec, opts, opts.warmupSec);
  await opts.beforeMeasure?.();
  const latencies: number[] = [];
  const r = await fire(url, spec, opts, opts.durationSec, latencies);
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCodes[code] = count;
  return {
    rps: r.requests.average,
    mean: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    durationSec: r.duration,
  };
}
