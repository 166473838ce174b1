import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { Metrics } from '../../telemetry/metrics.js';
import { sampledTraceId } from '../../telemetry/trace-context.js';

const SAFE_ID = /^[\w.:-]{1,128}$/;

/** Honours a caller's X-Request-Id when it is safe to log and echo; otherwise makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/**
 * The URL as logged: the path, and of the query only the parameter names. Query values can be
 * personal data (an admin searching by email) or capabilities (cursors); logs keep neither.
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = new URLSearchParams(url.slice(at + 1)).keys();
  return `${url.slice(0, at)}?${[...new Set(names)].map((n) => `${encodeURIComponent(n)}=…`).join('&')}`;
}

const QUIET_ROUTES = new Set(['/health', '/health/ready', '/metrics']);

/**
 * X-Request-Id on every response (and Connection: close while draining), one access-log line per
 * request, and the duration histogram. Synchronous hooks: they run on every request.
 */
export const observabilityPlugin = fp<{
  metrics: Pick<Metrics, 'httpDuration'>;
  lifecycle: { draining: boolean };
}>(
  async (app, { metrics, lifecycle }) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      // While draining, every response tells keep-alive clients to reconnect elsewhere.
      if (lifecycle.draining) reply.header('connection', 'close');
      done();
    });

    // Label children are cached: resolving labels per observation costs more than the observation.
    const children = new Map<string, { observe(v: number): void }>();
    app.addHook('onResponse', (request, reply, done) => {
      // The template, never the raw URL, keeps label cardinality bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      const key = `${request.method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = metrics.httpDuration.labels(request.method, route, String(status));
        children.set(key, child);
      }
      const seconds = reply.elapsedTime / 1000;
      // A sampled request leaves its trace id as the bucket's exemplar (OpenMetrics scrapes show it).
      const trace_id = sampledTraceId();
      if (trace_id) {
        const exemplarLabels: Record<string, string> = { trace_id };
        metrics.httpDuration.observe({
          labels: { method: request.method, route, status_code: String(status) },
          value: seconds,
          exemplarLabels,
        });
      } else child.observe(seconds);
      const level = QUIET_ROUTES.has(route) ? 'debug' : status >= 500 ? 'error' : 'info';
      request.log[level](
        {
          method: request.method,
          url: loggableUrl(request.url),
          route,
          status,
          ms: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
      done();
    });
  },
  { name: 'observability' },
);
