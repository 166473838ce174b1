'use client';

import { useEffect, useRef, useState } from 'react';
import { ErrorBox, Loading } from '@/components/states';
import { ApiError } from '@/lib/api';
import { parseMetrics, type Sample, sum } from '@/lib/metrics';

type Check = { status: string; latency_ms?: number; error?: string; mode?: string; breaker?: string };
type Readiness = { status: string; checks: Record<string, Check> };

type Snapshot = {
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

const REFRESH_MS = 2_000;

function snapshot(ready: Readiness, samples: Sample[]): Snapshot {
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

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

export function SystemStatus() {
  const [current, setCurrent] = useState<Snapshot | undefined>();
  const previous = useRef<Snapshot | undefined>(undefined);
  const [rate, setRate] = useState<{ rps: number; hitRate: string } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const [readyRes, metricsRes] = await Promise.all([
          fetch('/health/ready', { cache: 'no-store' }),
          fetch('/metrics', { cache: 'no-store' }),
        ]);
        // 503 is an answer too: the report says which dependency is down.
        const ready = (await readyRes.json()) as Readiness;
        if (!metricsRes.ok)
          throw new ApiError(metricsRes.status, 'metrics', `GET /metrics answered ${metricsRes.status}`);
        const next = snapshot(ready, parseMetrics(await metricsRes.text()));
        if (!live) return;
        const prev = previous.current;
        if (prev) {
          const seconds = (next.at - prev.at) / 1000;
          const lookups = next.hits - prev.hits + (next.misses - prev.misses);
          setRate({
            rps: Math.max(0, (next.httpCount - prev.httpCount) / seconds),
            hitRate: pct(next.hits - prev.hits, lookups),
          });
        }
        previous.current = next;
        setCurrent(next);
        setError(undefined);
      } catch (err) {
        if (live)
          setError(err instanceof ApiError ? err : new ApiError(0, 'network', 'The API cannot be reached'));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  if (!current) return error ? <ErrorBox error={error} /> : <Loading label="Reading the service’s health…" />;
  const { ready } = current;
  return (
    <>
      {error && <ErrorBox error={error} />}
      <p className="muted" aria-live="polite">
        Overall: <span className={`badge badge-${ready.status}`}>{ready.status}</span> · refreshed every{' '}
        {REFRESH_MS / 1000} s, last at {new Date(current.at).toLocaleTimeString()}
      </p>
      <section aria-labelledby="deps-heading">
        <h2 id="deps-heading">Dependencies</h2>
        <ul className="cards">
          {Object.entries(ready.checks).map(([name, c]) => (
            <li key={name} className="card">
              <h3>{name}</h3>
              <p>
                <span className={`badge badge-${c.status}`}>{c.status}</span>{' '}
                {c.mode && <span className="muted">{c.mode}</span>}
              </p>
              {c.latency_ms !== undefined && <p className="muted small">{c.latency_ms} ms</p>}
              {c.breaker && <p className="muted small">breaker {c.breaker}</p>}
              {c.error && <p className="field-error small">{c.error}</p>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="numbers-heading">
        <h2 id="numbers-heading">Traffic</h2>
        <dl className="stats">
          <div>
            <dt>Request rate</dt>
            <dd>{rate ? `${rate.rps.toFixed(1)} req/s` : 'measuring…'}</dd>
          </div>
          <div>
            <dt>Requests answered</dt>
            <dd>
              {current.httpCount} ({current.http5xx} server errors)
            </dd>
          </div>
          <div>
            <dt>Cache hit rate</dt>
            <dd>
              {pct(current.hits, current.hits + current.misses)} overall
              {rate && rate.hitRate !== '—' ? `, ${rate.hitRate} just now` : ''}
            </dd>
          </div>
          <div>
            <dt>Cache entries</dt>
            <dd>{current.entries}</dd>
          </div>
          <div>
            <dt>Queue depth</dt>
            <dd>
              {current.depth.due} due · {current.depth.queued} queued · {current.depth.running} running
            </dd>
          </div>
          <div>
            <dt>Image uploads</dt>
            <dd>{current.uploads}</dd>
          </div>
        </dl>
      </section>
    </>
  );
}
