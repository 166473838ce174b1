import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The usual security headers (helmet), with a Content-Security-Policy the Swagger UI at /docs works
 * under, and CORS only for the origins CORS_ORIGINS names (none by default: the web client reaches
 * the API through its own server, same-origin).
 *
 * helmet itself, built once: the Fastify wrapper builds it again on every request (parsing the policy
 * each time, several percent of a cached read's CPU), for per-route options this service has none of.
 */
export const securityHeadersPlugin = fp<{ corsOrigins: readonly string[] }>(
  async (app, { corsOrigins }) => {
    const setHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets styles inline.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      // Images and media are fetched across origins (a CDN, the web client).
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });
    app.addHook('onRequest', (request, reply, done) => {
      setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
    });
    await app.register(cors, {
      origin: corsOrigins.length > 0 ? [...corsOrigins] : false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'Idempotency-Key',
        'X-Request-Id',
      ],
      exposedHeaders: [
        'ETag',
        'Link',
        'Location',
        'Retry-After',
        'RateLimit',
        'RateLimit-Policy',
        'X-Request-Id',
        'X-Cache',
        'Idempotent-Replayed',
      ],
      maxAge: 600,
    });
  },
  { name: 'security-headers' },
);
