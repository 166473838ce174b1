import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * The usual security headers (helmet), with a Content-Security-Policy the Swagger UI at /docs works
 * under, and CORS only for the origins CORS_ORIGINS names (none by default: the web client reaches
 * the API through its own server, same-origin).
 */
export const securityHeadersPlugin = fp<{ corsOrigins: readonly string[] }>(
  async (app, { corsOrigins }) => {
    await app.register(helmet, {
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
