import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { App } from './api/app-type.js';
import { errorsPlugin, sendProblem } from './api/plugins/errors.js';
import { observabilityPlugin, requestIdOf } from './api/plugins/observability.js';
import { validationPlugin } from './api/plugins/validation.js';
import { exportRoutes } from './api/routes/exports.js';
import { imageRoutes } from './api/routes/images.js';
import { mediaRoutes } from './api/routes/media.js';
import { profileRoutes } from './api/routes/profiles.js';
import { type Lifecycle, systemRoutes } from './api/routes/system.js';
import { taskRoutes } from './api/routes/tasks.js';
import { SHARED_SCHEMAS } from './api/schemas/shared.js';
import type { Container } from './compose.js';
import { ERRORS } from './errors.js';

export type { App };

/** Builds the HTTP app over a composed container. Does not listen: cmd/ does, tests inject. */
export async function buildApp(
  container: Pick<Container, 'config' | 'logger' | 'metrics' | 'db' | 'cache' | 'services' | 'storage'>,
) {
  const { config, logger, metrics, db, cache, services, storage } = container;
  const lifecycle: Lifecycle = { draining: false };

  const app: App = Fastify({
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
    frameworkErrors: (error, request, reply) => {
      // A path segment longer than any id cannot name a resource: 404, as for any malformed id.
      const err =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? ERRORS.notFound('resource')
          : ERRORS.badRequest('The request URL or headers are malformed');
      return sendProblem(reply, request, err);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(validationPlugin);
  await app.register(errorsPlugin);
  await app.register(observabilityPlugin, { metrics, lifecycle });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  // The API speaks JSON only: a text/plain body is a 415, not a string handed to the schema.
  app.removeContentTypeParser('text/plain');
  // RFC 7396 merge patches are JSON objects too.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Profile Service', version: '1.0.0', description: 'Profiles, images and tasks.' },
      tags: [{ name: 'profiles' }, { name: 'images' }, { name: 'tasks' }, { name: 'system' }],
    },
    refResolver: {
      buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(multipart, { throwFileSizeLimit: true });
  await app.register(systemRoutes, { db, cache, metrics, lifecycle, storage });
  await app.register(profileRoutes, { prefix: '/api/v1/profiles', profiles: services.profiles });
  await app.register(imageRoutes, {
    prefix: '/api/v1/profiles',
    images: services.images,
    maxBytes: config.imageMaxBytes,
  });
  await app.register(taskRoutes, { prefix: '/api/v1/tasks', tasks: services.tasks });
  await app.register(exportRoutes, { prefix: '/api/v1/exports', exports: services.exports });
  await app.register(mediaRoutes, { storage, mediaDir: config.mediaDir });

  return Object.assign(app, { lifecycle });
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
