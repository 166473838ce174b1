// The clients the composition root opens from config: the database, the cache store, object
// storage, the token verifier. Each logs which part it chose (an embedded one, or the configured).
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { AuthUnavailableError } from '../auth/key-store.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.js';
import { createMemoryStore } from '../cache/memory-store.js';
import { withNearCache } from '../cache/near-cache.js';
import { createRedisStore } from '../cache/redis-store.js';
import type { CacheStore } from '../cache/store.js';
import type { Config } from '../config.js';
import type { QueryObserver } from '../db/database.js';
import { createPgliteDatabase } from '../db/pglite.js';
import { createPostgresDatabase } from '../db/postgres.js';
import { createFsStorage } from '../storage/fs-storage.js';
import { createS3Storage } from '../storage/s3-storage.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { Logger } from '../telemetry/logger.js';

export function openCacheStore(config: Config, logger: Logger): CacheStore {
  if (config.redis) {
    let down = false;
    const store = createRedisStore({
      ...config.redis,
      prefix: config.cacheKeyPrefix,
      capacity: config.cacheMaxEntries,
      commandTimeoutMs: config.cacheTimeoutMs,
      onConnectionError: (err) => {
        // One line per outage, not one per reconnect attempt.
        if (!down) logger.warn({ err: err.message, address: config.redis?.address }, 'redis connection lost');
        down = true;
      },
      onReady: () => {
        if (down) logger.info({ address: config.redis?.address }, 'redis connection restored');
        down = false;
      },
    });
    // On a cluster the entries' slot may move between nodes: no near level there (yet).
    if (config.cacheNearMaxEntries === 0 || config.redis.cluster) return store;
    return withNearCache(store, store.client as Redis, `${config.cacheKeyPrefix}e:`, {
      maxEntries: config.cacheNearMaxEntries,
      onChange: (on, why) => logger.info({ on, why }, on ? 'near cache on' : 'near cache off'),
    });
  }
  logger.info(
    { capacity: config.cacheMaxEntries },
    'embedded: REDIS_ADDRESS not set, using the in-process FIFO cache',
  );
  return createMemoryStore({ capacity: config.cacheMaxEntries });
}

export function openStorage(config: Config, logger: Logger): ObjectStorage {
  if (config.s3) {
    logger.info({ bucket: config.s3.bucket, endpoint: config.s3.endpoint }, 'media storage: s3');
    return createS3Storage(config.s3);
  }
  logger.info({ root: config.mediaDir }, 'media storage: local filesystem');
  return createFsStorage({ root: config.mediaDir });
}

export async function openDatabase(config: Config, logger: Logger, observe: QueryObserver) {
  if (config.dbUri) {
    return createPostgresDatabase({
      uri: config.dbUri,
      readUri: config.dbReadUri,
      readMaxLagMs: config.dbReadMaxLagMs,
      onReplicaChange: (usable, why) =>
        usable
          ? logger.info('read replica in use again')
          : logger.warn({ why }, 'read replica unusable; reading from the primary'),
      poolMax: config.dbPoolMax,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      onError: (err, pool) => logger.warn({ err, pool }, 'idle database connection failed'),
      observe,
    });
  }
  const dataDir = join(config.dataDir, 'pglite');
  logger.info({ dataDir }, 'embedded: DB_URI not set, using PGlite (PostgreSQL in-process)');
  return createPgliteDatabase({ dataDir, observe });
}

/**
 * The verifier of the configured issuer's tokens. Without an issuer (a process that serves no API, or
 * one built before the embedded provider is known) a token cannot be verified: 503, never accepted.
 */
export function openVerifier(config: Config): TokenVerifier {
  const { auth } = config;
  if (!auth.issuer) {
    return {
      verify: async () => {
        throw new AuthUnavailableError('no AUTH_ISSUER is configured');
      },
    };
  }
  return createTokenVerifier({
    issuer: auth.issuer,
    audience: auth.audience,
    jwksUrl: auth.jwksUrl,
    clockToleranceSec: auth.clockToleranceSec,
    rolesClaim: auth.rolesClaim,
    adminRole: auth.adminRole,
    keys: { cooldownMs: auth.jwksCooldownMs, maxAgeMs: auth.jwksMaxAgeMs, timeoutMs: 5_000 },
  });
}
