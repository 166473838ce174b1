import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ProfileCache } from '../../cache/profile-cache.js';
import { type Database, withTimeout } from '../../db/database.js';
import { ERRORS } from '../../errors.js';
import { clip } from '../../lib/clip.js';
import type { ObjectStorage } from '../../storage/storage.js';
import { wantsOpenMetrics } from '../../telemetry/exposition.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { problems } from '../schemas/problem.js';
import { type Check, Readiness } from '../schemas/readiness.js';
import { ref } from '../schemas/shared.js';

export type Lifecycle = { draining: boolean };

const READY_TIMEOUT_MS = 1_000;

/** Up with its latency, or down with the reason: one dependency's line in the readiness report. */
async function probe(ping: () => Promise<void>, mode: string): Promise<Check> {
  const started = performance.now();
  try {
    await ping();
    return { status: 'up', latency_ms: Math.round((performance.now() - started) * 100) / 100, mode };
  } catch (err) {
    return { status: 'down', error: clip((err as Error).message, 500), mode };
  }
}

export type SystemDeps = {
  db: Pick<Database, 'ping' | 'kind'>;
  cache: Pick<ProfileCache, 'health'>;
  /** The broker, where this process needs one (the worker): unready while it is unreachable. */
  queue?: { connected(): boolean } | undefined;
  metrics: Pick<Metrics, 'exposition'>;
  lifecycle: Lifecycle;
  /** Media storage, where this process serves uploads: unready while it is unreachable. */
  storage?: Pick<ObjectStorage, 'ping' | 'driver'> | undefined;
  /** METRICS_TOKEN: /metrics only for this bearer. */
  metricsToken?: string | undefined;
};

/** Compares a presented secret without leaking, through timing, how much of it matched. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Liveness, readiness (per-dependency), Prometheus metrics. */
export const systemRoutes: FastifyPluginAsyncTypebox<SystemDeps> = async (app, deps) => {
  const tags = ['system'];

  const probes = { auth: 'none', rateClass: 'none' } as const;
  app.get(
    '/health',
    {
      config: probes,
      schema: {
        tags,
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'Answers while the process runs, whatever its dependencies do.',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false }),
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: probes,
      schema: {
        tags,
        operationId: 'getReadiness',
        summary: 'Readiness with per-dependency status',
        description:
          '200 when the database (and, where used, the broker and storage) answer; 503 otherwise or while draining.',
        response: { 200: ref(Readiness), 503: ref(Readiness) },
      },
    },
    async (_req, reply) => {
      const database = await probe(() => deps.db.ping(READY_TIMEOUT_MS), deps.db.kind);
      const queue: Check | undefined = deps.queue && { status: deps.queue.connected() ? 'up' : 'down' };
      const { storage: store } = deps;
      const storage =
        store &&
        (await probe(() => withTimeout(store.ping(), READY_TIMEOUT_MS, 'storage ping'), store.driver));
      const ready =
        !deps.lifecycle.draining &&
        database.status === 'up' &&
        queue?.status !== 'down' &&
        storage?.status !== 'down';
      reply.code(ready ? 200 : 503);
      // The cache is an optimisation: while it is down requests are served from the database, so it
      // degrades the report but never readiness itself.
      const report: Readiness = {
        status: deps.lifecycle.draining ? 'draining' : ready ? 'ready' : 'unavailable',
        checks: {
          database,
          cache: deps.cache.health(),
          ...(queue ? { queue } : {}),
          ...(storage ? { storage } : {}),
        },
      };
      return report;
    },
  );

  app.get(
    '/metrics',
    {
      config: probes,
      schema: {
        tags,
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description: 'With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` gets them.',
        response: {
          200: {
            description: 'The Prometheus text exposition format',
            content: { 'text/plain': { schema: Type.String({ maxLength: 10_000_000 }) } },
          },
          ...problems(401),
        },
      },
    },
    async (request, reply) => {
      if (deps.metricsToken && !sameSecret(request.headers.authorization, `Bearer ${deps.metricsToken}`)) {
        throw ERRORS.unauthenticated();
      }
      // OpenMetrics (with the duration histogram's trace exemplars) to a scraper that asks for it.
      const { contentType, body } = await deps.metrics.exposition.render(
        wantsOpenMetrics(request.headers.accept),
      );
      reply.type(contentType);
      return body;
    },
  );
};
