import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import helmet from 'helmet';

type Helmet = ReturnType<typeof helmet>;

/** What a helmet configuration sets: the same on every response, as none of its options is per request. */
function staticHeaders(setHeaders: Helmet): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  let failed: unknown;
  setHeaders({} as Parameters<Helmet>[0], res as unknown as Parameters<Helmet>[1], (err) => {
    failed = err;
  });
  if (failed) throw failed;
  return Object.freeze(headers) as Record<string, string>;
}

/**
 * The usual security headers (helmet), with a Content-Security-Policy the Swagger UI at /docs works
 * under, and CORS only for the origins CORS_ORIGINS names (none by default: the web client reaches
 * the API through its own server, same-origin).
 *
 * helmet itself, built once: the Fastify wrapper builds it again on every request (parsing the policy
 * each time, several percent of a cached read's CPU), for per-route options this service has none of;
 * and since its headers never change, they are read from it once and set as they are.
 */
export const securityHeadersPlugin = fp<{ corsOrigins: readonly string[] }>(
  async (app, { corsOrigins }) => {
    const headers = staticHeaders(
      helmet({
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
      }),
    );
    // Through the reply, not the raw response: headers set on the raw response first make Node
    // validate and store every later header one by one as the response is written.
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
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
