import type { Server } from 'node:http';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyHttpOptions,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { App } from './api/app-type.js';
import { answerClientError, answerExpectations } from './api/http-layer.js';
import { authPlugin } from './api/plugins/auth.js';
import { bodyParsersPlugin } from './api/plugins/body-parsers.js';
import { docsPlugin } from './api/plugins/docs.js';
import { errorsPlugin, sendProblem } from './api/plugins/errors.js';
import { idempotencyPlugin } from './api/plugins/idempotency.js';
import { observabilityPlugin, requestIdOf } from './api/plugins/observability.js';
import { rateLimitPlugin } from './api/plugins/rate-limit.js';
import { securityHeadersPlugin } from './api/plugins/security-headers.js';
import { validationPlugin } from './api/plugins/validation.js';
import { eventRoutes } from './api/routes/events.js';
import { exportRoutes } from './api/routes/exports.js';
import { imageRoutes } from './api/routes/images.js';
import { meRoutes } from './api/routes/me.js';
import { mediaRoutes } from './api/routes/media.js';
import { profileRoutes } from './api/routes/profiles.js';
import { type Lifecycle, systemRoutes } from './api/routes/system.js';
import { taskRoutes } from './api/routes/tasks.js';
import { SHARED_SCHEMAS } from './api/schemas/shared.js';
import type { Container } from './compose.js';
import type { Config } from './config.js';
import { ERRORS } from './errors.js';
import type { Logger } from './telemetry/logger.js';

export type { App };

/** Test-only faults a process can be started with; none in production. */
export type AppFaults = {
  /** Exit at once after an Idempotency-Key's answer committed with its effect, before it is sent. */
  crashAfterIdempotentCommit?: boolean;
};

/** Builds the HTTP app over a composed container. Does not listen: cmd/ does, tests inject. */
export async function buildApp(
  container: Pick<
    Container,
    | 'config'
    | 'logger'
    | 'metrics'
    | 'db'
    | 'cache'
    | 'services'
    | 'storage'
    | 'verifier'
    | 'limiterRedis'
    | 'eventHub'
    | 'outbox'
    | 'idempotency'
  >,
  faults: AppFaults = {},
) {
  const { config, logger, metrics, db, cache, services, storage, verifier } = container;
  const lifecycle: Lifecycle = { draining: false };
  const app: App = Fastify(serverOptions(config, logger)).withTypeProvider<TypeBoxTypeProvider>();
  answerExpectations(app.server);

  await app.register(validationPlugin);
  await app.register(errorsPlugin);
  await app.register(observabilityPlugin, { metrics, lifecycle });
  await app.register(authPlugin, { verifier, metrics: metrics.access });
  if (config.http.rateLimits) {
    await app.register(rateLimitPlugin, {
      limits: config.http.rateLimits,
      redis: container.limiterRedis,
      // Without the cache's hash tag: on a cluster, the counts spread over its slots.
      keyPrefix: `${config.cacheKeyPrefix.replace(/[{}]/g, '')}rate:`,
      metrics: metrics.access,
      logger,
    });
  }
  await app.register(idempotencyPlugin, {
    repo: container.idempotency,
    logger,
    ttlMs: config.idempotencyTtlMs,
    leaseMs: config.idempotencyLeaseMs,
    ...(faults.crashAfterIdempotentCommit ? { afterSeal: () => process.kill(process.pid, 'SIGKILL') } : {}),
  });
  await app.register(securityHeadersPlugin, { corsOrigins: config.http.corsOrigins });
  await app.register(bodyParsersPlugin);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(docsPlugin);
  await app.register(multipart, { throwFileSizeLimit: true });

  await app.register(systemRoutes, {
    db,
    cache,
    metrics,
    lifecycle,
    storage,
    metricsToken: config.http.metricsToken,
  });
  await app.register(profileRoutes, { prefix: '/api/v1/profiles', profiles: services.profiles });
  await app.register(meRoutes, { prefix: '/api/v1/me', profiles: services.profiles });
  await app.register(imageRoutes, {
    prefix: '/api/v1/profiles',
    images: services.images,
    maxBytes: config.imageMaxBytes,
  });
  await app.register(taskRoutes, { prefix: '/api/v1/tasks', tasks: services.tasks });
  await app.register(exportRoutes, { prefix: '/api/v1/exports', exports: services.exports });
  await app.register(eventRoutes, {
    prefix: '/api/v1/events',
    hub: container.eventHub,
    outbox: container.outbox,
    limits: config.events,
    metrics: metrics.events,
  });
  await app.register(mediaRoutes, { storage, mediaDir: config.mediaDir });

  return Object.assign(app, { lifecycle });
}

function serverOptions(
  config: Pick<Config, 'bodyLimitBytes' | 'http'>,
  logger: Logger,
): FastifyHttpOptions<Server> {
  return {
    // Behind a proxy that says who the client is (X-Forwarded-For): rate limits key on that address.
    // A hop count is accepted at run time, though the type does not say so.
    trustProxy: config.http.trustProxy as FastifyServerOptions['trustProxy'],
    loggerInstance: logger as FastifyBaseLogger,
    // One access line per request is written by the observability hook instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    // Longer than the usual load-balancer idle timeout (60 s), so the balancer closes first.
    keepAliveTimeout: 65_000,
    // Node's own bound on receiving a whole request, which Fastify would otherwise turn off: a client
    // trickling a body cannot hold a connection (and its buffers) for ever.
    requestTimeout: 300_000,
    forceCloseConnections: 'idle',
    // A request that reaches an open connection while we drain is served (with Connection: close), not refused.
    return503OnClosing: false,
    // A missing Host is refused by the errors plugin, in the usual shape (Node would send an empty 400).
    http: { requireHostHeader: false },
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      // A path segment longer than any id cannot name a resource: 404, as for any malformed id.
      const err =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? ERRORS.notFound('resource')
          : ERRORS.badRequest('The request URL or headers are malformed');
      return sendProblem(reply, request, err);
    },
  };
}

/** The worker's own HTTP surface: liveness, readiness (database, cache, broker) and metrics. */
export async function buildWorkerApp(
  container: Pick<Container, 'logger' | 'metrics' | 'db' | 'cache'>,
  queue: { connected(): boolean },
) {
  const lifecycle: Lifecycle = { draining: false };
  const app: App = Fastify({
    loggerInstance: container.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: requestIdOf,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(errorsPlugin);
  await app.register(observabilityPlugin, { metrics: container.metrics, lifecycle });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(systemRoutes, {
    db: container.db,
    cache: container.cache,
    metrics: container.metrics,
    lifecycle,
    queue,
  });
  return Object.assign(app, { lifecycle });
}
