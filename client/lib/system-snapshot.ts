import type { Readiness } from './api';
import { type Sample, sum } from './metrics';

/** What the system page shows, read from one readiness report and one /metrics scrape. */
export type Snapshot = {
  at: number;
  ready: Readiness;
  httpCount: number;
  http5xx: number;
  hits: number;
  misses: number;
  entries: number;
  depth: { due: number; queued: number; running: number };
  uploads: number;
};

/** Between two snapshots: requests a second, and the cache hit rate. */
export type Rate = { rps: number; hitRate: string };

export const pct = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';

export function snapshot(ready: Readiness, samples: Sample[]): Snapshot {
  const depth = (state: string) => sum(samples, 'tasks_queue_depth', (l) => l.state === state);
  return {
    at: Date.now(),
    ready,
    // Requests the API answered, not counting this page's own polling.
    httpCount: sum(
      samples,
      'http_request_duration_seconds_count',
      (l) => l.route !== '/metrics' && l.route !== '/health/ready',
    ),
    http5xx: sum(samples, 'http_request_duration_seconds_count', (l) =>
      (l.status_code ?? '').startsWith('5'),
    ),
    hits: sum(samples, 'cache_hits_total'),
    misses: sum(samples, 'cache_misses_total'),
    entries: sum(samples, 'cache_entries'),
    depth: { due: depth('due'), queued: depth('queued'), running: depth('running') },
    uploads: sum(samples, 'image_uploads_total'),
  };
}

export function rate(prev: Snapshot, next: Snapshot): Rate {
  const seconds = (next.at - prev.at) / 1000;
  const lookups = next.hits - prev.hits + (next.misses - prev.misses);
  return {
    rps: Math.max(0, (next.httpCount - prev.httpCount) / seconds),
    hitRate: pct(next.hits - prev.hits, lookups),
  };
}
