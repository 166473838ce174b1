import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import type { PoolStats } from '../db/database.js';
import { createExposition } from './exposition.js';

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  // Created as OpenMetrics, which prom-client requires of a histogram with exemplars, then served as
  // Prometheus text unless a scraper asks for OpenMetrics (see exposition.ts).
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    // The trace id of a request observed in a bucket: from a latency spike to one of its traces.
    enableExemplars: true,
    registers: [registry],
  });
  registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const dbQueryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration by statement name and outcome',
    labelNames: ['query', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });

  const cache = createCacheMetrics(registry);
  const tasks = createTaskMetrics(registry);
  const images = createImageMetrics(registry);
  const access = {
    rateLimited: new Counter({
      name: 'http_rate_limited_total',
      help: 'Requests refused with 429, by budget',
      labelNames: ['budget'],
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: 'http_rate_limit_store_errors_total',
      help: 'Rate-limit counts that could not reach Redis: those requests were let through (fail open)',
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'http_auth_failures_total',
      help: 'Requests refused for their token or its absence, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };

  const events = {
    streams: new Gauge({
      name: 'sse_streams_open',
      help: 'Event streams open on this instance',
      registers: [registry],
    }),
    sent: new Counter({
      name: 'sse_events_sent_total',
      help: 'Events written to event streams, by kind (profile, task)',
      labelNames: ['type'],
      registers: [registry],
    }),
  };

  return {
    registry,
    exposition: createExposition(registry),
    httpDuration,
    cache,
    tasks,
    images,
    access,
    events,
    observeQuery(name: string, seconds: number, ok: boolean) {
      dbQueryDuration.observe({ query: name, outcome: ok ? 'ok' : 'error' }, seconds);
    },
    /** Pool gauges read at scrape time, so they cost nothing per request. */
    watchPools(stats: () => PoolStats[]) {
      const gauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
        new Gauge({
          name,
          help,
          labelNames: ['pool'] as const,
          registers: [registry],
          collect() {
            for (const s of stats()) this.set({ pool: s.pool }, pick(s));
          },
        });
      gauge('db_pool_connections_total', 'Open connections in the database pool', (s) => s.total);
      gauge('db_pool_connections_idle', 'Idle connections in the database pool', (s) => s.idle);
      gauge('db_pool_requests_waiting', 'Queries waiting for a database connection', (s) => s.waiting);
      gauge('db_pool_connections_max', 'Configured maximum pool size', (s) => s.max);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function createCacheMetrics(registry: Registry<RegistryContentType>) {
  const registers = [registry];
  return {
    hits: new Counter({
      name: 'cache_hits_total',
      help: 'Profile cache lookups that found the profile',
      registers,
    }),
    misses: new Counter({
      name: 'cache_misses_total',
      help: 'Profile cache lookups that did not (including lookups skipped or failed while the cache is down)',
      registers,
    }),
    evictions: new Counter({
      name: 'cache_evictions_total',
      help: 'Live entries evicted, oldest first, to respect CACHE_MAX_ENTRIES',
      registers,
    }),
    expirations: new Counter({
      name: 'cache_expirations_total',
      help: 'Expired entries pruned from the FIFO order before an eviction decision',
      registers,
    }),
    errors: new Counter({
      name: 'cache_errors_total',
      help: 'Cache operations that failed or timed out, by operation',
      labelNames: ['operation'] as const,
      registers,
    }),
    operationDuration: new Histogram({
      name: 'cache_operation_duration_seconds',
      help: 'Cache operation duration by operation and outcome',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'cache_breaker_open',
      help: '1 while the cache breaker skips the store, 0 when closed',
      registers,
    }),
    /** Live entries, read from the store at scrape time (expired ones pruned first). */
    watchEntries(size: () => Promise<number | undefined>) {
      new Gauge({
        name: 'cache_entries',
        help: 'Live entries in the profile cache',
        registers,
        async collect() {
          const n = await size();
          if (n !== undefined) this.set(n);
        },
      });
    },
  };
}

export type CacheMetrics = ReturnType<typeof createCacheMetrics>;

function createTaskMetrics(registry: Registry<RegistryContentType>) {
  const registers = [registry];
  return {
    submitted: new Counter({
      name: 'tasks_submitted_total',
      help: 'Tasks accepted, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    published: new Counter({
      name: 'tasks_published_total',
      help: 'Task messages published by the scheduler, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    started: new Counter({
      name: 'tasks_started_total',
      help: 'Task attempts started, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    finished: new Counter({
      name: 'tasks_finished_total',
      help: 'Task attempts finished, by type and outcome (succeeded, retried, failed)',
      labelNames: ['type', 'outcome'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'task_duration_seconds',
      help: 'Task attempt duration by type',
      labelNames: ['type'] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    schedulerLag: new Histogram({
      name: 'task_scheduler_lag_seconds',
      help: 'From a task being due to its attempt starting',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers,
    }),
    inFlight: new Gauge({ name: 'tasks_in_flight', help: 'Task attempts running in this worker', registers }),
    /** Queue depth from the tasks table (the source of truth), read at scrape time. */
    watchDepth(depth: () => Promise<{ due: number; queued: number; running: number }>) {
      new Gauge({
        name: 'tasks_queue_depth',
        help: 'Tasks due but not handed out (due), handed to the broker (queued), and running',
        labelNames: ['state'] as const,
        registers,
        async collect() {
          try {
            const d = await depth();
            for (const state of ['due', 'queued', 'running'] as const) this.set({ state }, d[state]);
          } catch {
            // the database is down: readiness reports it; the gauge keeps its last value
          }
        },
      });
    },
  };
}

export type TaskMetrics = ReturnType<typeof createTaskMetrics>;

function createImageMetrics(registry: Registry<RegistryContentType>) {
  const registers = [registry];
  return {
    uploads: new Counter({
      name: 'image_uploads_total',
      help: 'Image uploads by outcome (created, duplicate, or the error code that refused them)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    processingDuration: new Histogram({
      name: 'image_processing_seconds',
      help: 'Time to validate and encode one upload (waiting for a processing slot included)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    objectsDeleted: new Counter({
      name: 'image_objects_deleted_total',
      help: 'Objects removed from storage once no image named them',
      registers,
    }),
    /** Uploads being processed or waiting for a processing slot, read at scrape time. */
    watchPending(pending: () => number) {
      new Gauge({
        name: 'image_processing_pending',
        help: 'Uploads being processed or waiting for a processing slot',
        registers,
        collect() {
          this.set(pending());
        },
      });
    },
  };
}

export type ImageMetrics = ReturnType<typeof createImageMetrics>;
