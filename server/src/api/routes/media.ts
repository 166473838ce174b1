import { mkdir } from 'node:fs/promises';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERRORS } from '../../errors.js';
import { IMMUTABLE_CACHE_CONTROL, isObjectKey, type ObjectStorage } from '../../storage/storage.js';

const PREFIX = '/media/';
const ONE_YEAR_MS = 31_536_000_000;

/**
 * Serves media objects at /media/<key>: the origin a CDN (CDN_BASE_URL) pulls from, and the URLs
 * themselves when there is none. Keys are content hashes, so responses are immutable for a year.
 */
export const mediaRoutes: FastifyPluginAsyncTypebox<{ storage: ObjectStorage; mediaDir: string }> = async (
  app,
  { storage, mediaDir },
) => {
  if (storage.driver === 'fs') {
    // The static plugin wants its root to exist; a fresh DATA_DIR has none yet.
    await mkdir(mediaDir, { recursive: true });
    // @fastify/static brings ETag, Last-Modified, Range and conditional requests, and refuses paths
    // that leave the root; only well-formed object keys are served at all.
    await app.register(fastifyStatic, {
      root: mediaDir,
      prefix: PREFIX,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      maxAge: ONE_YEAR_MS,
      immutable: true,
      allowedPath: (pathname) => isObjectKey(pathname.slice(1)),
      schemaHide: true,
    });
    return;
  }

  // Object stores answer Range and If-None-Match themselves: pass them through.
  app.get(`${PREFIX}*`, { schema: { hide: true } }, async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    if (!isObjectKey(key)) throw ERRORS.notFound('media object');
    const range = request.headers.range;
    const ifNoneMatch = request.headers['if-none-match'];
    const object = await storage
      .get(key, { ...(range ? { range } : {}), ...(ifNoneMatch ? { ifNoneMatch } : {}) })
      .catch((err: unknown) => {
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) {
          throw ERRORS.rangeNotSatisfiable();
        }
        request.log.warn({ err }, 'media storage read failed');
        throw ERRORS.unavailable('Media storage is unavailable; retry shortly');
      });
    if (!object) throw ERRORS.notFound('media object');
    reply
      .code(object.status)
      .header('cache-control', IMMUTABLE_CACHE_CONTROL)
      .header('accept-ranges', 'bytes');
    if (object.etag) reply.header('etag', object.etag);
    if (object.lastModified) reply.header('last-modified', object.lastModified.toUTCString());
    if (object.status === 304) return reply.send();
    if (object.contentType) reply.type(object.contentType);
    if (object.contentLength !== undefined) reply.header('content-length', object.contentLength);
    if (object.contentRange) reply.header('content-range', object.contentRange);
    return reply.send(object.body);
  });
};
