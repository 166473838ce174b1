import { createProfileCache, type ProfileCache } from './cache/profile-cache.js';
import { createRedisClient } from './cache/redis-store.js';
import { openCacheStore, openDatabase, openStorage, openVerifier } from './compose/clients.js';
import type { Config } from './config.js';
import type { Database, QueryObserver } from './db/database.js';

export { openDatabase } from './compose/clients.js';

import { migrate } from './db/migrate.js';
import { createEventHub } from './events/hub.js';
import { createImageProcessor } from './media/processor.js';
import type { Transport } from './queue/transport.js';
import { createExportRepository } from './repository/exports.js';
import { createIdempotencyRepository } from './repository/idempotency.js';
import { createImageRepository } from './repository/images.js';
import { createOutboxRepository } from './repository/outbox.js';
import { createProfileSearch } from './repository/profile-search.js';
import { createProfileRepository } from './repository/profiles.js';
import { createTaskRepository, DUE_CHANNEL, type TaskRepository } from './repository/tasks.js';
import { createExportService } from './services/exports.js';
import { createImageService, mediaUrlBuilder } from './services/images.js';
import { createSearchGate } from './services/profile-search.js';
import { createProfileService } from './services/profiles.js';
import type { ObjectStorage } from './storage/storage.js';
import { createTaskTypes } from './tasks/registry.js';
import { createTaskService } from './tasks/service.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { createRetention } from './worker/retention.js';
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
  // Rate limits count in Redis when there is one (one budget across instances): a connection of
  // their own, with the cache's short timeout, failing fast while Redis is down.
  const limiterRedis =
    config.redis && config.http.rateLimits
      ? createRedisClient({ ...config.redis, commandTimeoutMs: config.cacheTimeoutMs })
      : undefined;
  limiterRedis?.on('error', () => {});
  const opened = openStorage(config, logger);
  const storage = opts.wrapStorage ? opts.wrapStorage(opened) : opened;
  const taskRepo = createTaskRepository(db);
  metrics.tasks.watchDepth(() => taskRepo.depth());
  const { services, taskTypes, exportRepo } = composeServices({
    config,
    logger,
    metrics,
    db,
    cache,
    storage,
    taskRepo,
  });

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
    exportRepo,
    outbox: createOutboxRepository(db),
    idempotency: createIdempotencyRepository(db),
    eventHub: createEventHub(),
    verifier: openVerifier(config),
    limiterRedis,
    async close() {
      limiterRedis?.disconnect();
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
  const profiles = createProfileService({
    repo: profileRepo,
    cache,
    finder: createProfileSearch(db),
    searchGate: createSearchGate(config.search),
  });
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
  const tasks = createTaskService({
    repo: taskRepo,
    profiles: profileRepo,
    types: taskTypes,
    metrics: metrics.tasks,
  });
  const exports = createExportService({ repo: exportRepo, ttlMs: config.exportTtlMs });
  return { services: { profiles, tasks, exports, images }, taskTypes, exportRepo };
}

/** The worker over a composed container, on the given transport. */
export function composeWorker(
  container: Pick<
    Container,
    | 'config'
    | 'logger'
    | 'metrics'
    | 'db'
    | 'taskRepo'
    | 'taskTypes'
    | 'outbox'
    | 'exportRepo'
    | 'idempotency'
  >,
  transport: Transport,
) {
  const { config } = container;
  const retention = createRetention({
    tasks: container.taskRepo,
    exports: container.exportRepo,
    events: container.outbox,
    exportTtlMs: config.exportTtlMs,
    taskRetentionMs: config.taskRetentionMs,
    eventRetentionMs: config.events.retentionMs,
    idempotency: container.idempotency,
    idempotencyTtlMs: config.idempotencyTtlMs,
    intervalMs: 10 * 60_000,
    logger: container.logger,
  });
  return createWorker({
    retention,
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

/**
 * Feeds this instance's event streams from the events exchange (every instance consumes it on a
 * queue of its own, so a change made through one reaches the streams of all).
 */
export function composeEventFeed(
  container: Pick<Container, 'eventHub'>,
  transport: Pick<Transport, 'subscribeEvents'>,
) {
  return transport.subscribeEvents((e) =>
    container.eventHub.publish({
      seq: e.seq,
      routing_key: e.routingKey,
      payload: (e.payload ?? {}) as Record<string, unknown>,
    }),
  );
}
