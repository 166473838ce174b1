import { join } from 'node:path';
import { createMemoryStore } from './cache/memory-store.js';
import { createProfileCache, type ProfileCache } from './cache/profile-cache.js';
import { createRedisStore } from './cache/redis-store.js';
import type { CacheStore } from './cache/store.js';
import type { Config } from './config.js';
import type { Database, QueryObserver } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createPgliteDatabase } from './db/pglite.js';
import { createPostgresDatabase } from './db/postgres.js';
import { createImageProcessor } from './media/processor.js';
import type { Transport } from './queue/transport.js';
import { createExportRepository } from './repository/exports.js';
import { createImageRepository } from './repository/images.js';
import { createOutboxRepository } from './repository/outbox.js';
import { createProfileRepository } from './repository/profiles.js';
import { createTaskRepository, DUE_CHANNEL, type TaskRepository } from './repository/tasks.js';
import { createExportService } from './services/exports.js';
import { createImageService, mediaUrlBuilder } from './services/images.js';
import { createProfileService } from './services/profiles.js';
import { createFsStorage } from './storage/fs-storage.js';
import { createS3Storage } from './storage/s3-storage.js';
import type { ObjectStorage } from './storage/storage.js';
import { createTaskTypes } from './tasks/registry.js';
import { createTaskService } from './tasks/service.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { createWorker } from './worker/runner.js';

export type Container = Awaited<ReturnType<typeof compose>>;

/** Opens the database the container uses, observed by the query metrics. */
export type OpenDatabase = (observe: QueryObserver) => Promise<Database>;

/**
 * The one composition root: builds every client, repository and service from config and hands them
 * down. Tests call it too, against real services, optionally passing a database they made.
 */
export async function compose(opts: {
  config: Config;
  logger: Logger;
  /** Replaces the database chosen from config (tests hand in their own). */
  openDatabase?: OpenDatabase;
  /** Wraps the storage chosen from config (tests inject faults into it). */
  wrapStorage?: (storage: ObjectStorage) => ObjectStorage;
  defaultMetrics?: boolean;
}) {
  const { config, logger } = opts;
  const metrics = createMetrics({ defaultMetrics: opts.defaultMetrics ?? true });
  const db = await (opts.openDatabase ?? ((observe) => openDatabase(config, logger, observe)))(
    metrics.observeQuery,
  );
  metrics.watchPools(() => db.stats());
  await migrateOnStart(config, logger, db);

  const cache = createProfileCache({
    store: openCacheStore(config, logger),
    metrics: metrics.cache,
    logger,
    ttlCreatedMs: config.cacheTtlCreatedMs,
    ttlUpdatedMs: config.cacheTtlUpdatedMs,
  });
  metrics.cache.watchEntries(() => cache.size());
  const opened = openStorage(config, logger);
  const storage = opts.wrapStorage ? opts.wrapStorage(opened) : opened;
  const taskRepo = createTaskRepository(db);
  metrics.tasks.watchDepth(() => taskRepo.depth());
  const { services, taskTypes } = composeServices({ config, logger, metrics, db, cache, storage, taskRepo });

  return {
    config,
    logger,
    metrics,
    db,
    cache,
    services,
    storage,
    taskRepo,
    taskTypes,
    outbox: createOutboxRepository(db),
    async close() {
      await cache.close();
      await storage.close();
      await db.close();
    },
  };
}

/** Applies pending migrations when configured to; a failure closes the database it was given. */
async function migrateOnStart(config: Config, logger: Logger, db: Database): Promise<void> {
  if (!config.dbMigrateOnStart) return;
  try {
    const applied = await migrate(db, (msg) => logger.info(msg));
    logger.info({ applied: applied.length }, 'database migrations up to date');
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

/** The repositories, the services over them, and the task types (whose handlers use the services). */
function composeServices(deps: {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  cache: ProfileCache;
  storage: ObjectStorage;
  taskRepo: TaskRepository;
}) {
  const { config, logger, metrics, db, cache, storage, taskRepo } = deps;
  const profileRepo = createProfileRepository(db);
  const profiles = createProfileService({ repo: profileRepo, cache });
  const exportRepo = createExportRepository(db);
  const processor = createImageProcessor({
    maxPixels: config.imageMaxPixels,
    concurrency: config.imageConcurrency,
  });
  metrics.images.watchPending(processor.pending);
  const images = createImageService({
    repo: createImageRepository(db),
    profiles: profileRepo,
    processor,
    storage,
    cache,
    metrics: metrics.images,
    logger,
    publicUrl: mediaUrlBuilder(config.cdnBaseUrl),
  });
  const taskTypes = createTaskTypes({
    profiles,
    profileRepo,
    exports: exportRepo,
    cache,
    cacheCapacity: config.cacheMaxEntries,
    images,
  });
  const tasks = createTaskService({ repo: taskRepo, types: taskTypes, metrics: metrics.tasks });
  const exports = createExportService({ repo: exportRepo });
  return { services: { profiles, tasks, exports, images }, taskTypes };
}

function openCacheStore(config: Config, logger: Logger): CacheStore {
  if (config.redis) {
    let down = false;
    return createRedisStore({
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
  }
  logger.info(
    { capacity: config.cacheMaxEntries },
    'embedded: REDIS_ADDRESS not set, using the in-process FIFO cache',
  );
  return createMemoryStore({ capacity: config.cacheMaxEntries });
}

function openStorage(config: Config, logger: Logger): ObjectStorage {
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

/** The worker over a composed container, on the given transport. */
export function composeWorker(
  container: Pick<Container, 'config' | 'logger' | 'metrics' | 'db' | 'taskRepo' | 'taskTypes' | 'outbox'>,
  transport: Transport,
) {
  const { config } = container;
  return createWorker({
    repo: container.taskRepo,
    outbox: container.outbox,
    transport,
    types: container.taskTypes,
    metrics: container.metrics.tasks,
    logger: container.logger,
    leaseMs: config.taskLeaseMs,
    pollMs: config.taskPollMs,
    concurrency: config.workerConcurrency,
    listenForDue: (onDue) => container.db.listen(DUE_CHANNEL, onDue),
  });
}
