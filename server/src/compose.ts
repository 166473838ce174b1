import { join } from 'node:path';
import type { Config } from './config.js';
import type { Database, QueryObserver } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createPgliteDatabase } from './db/pglite.js';
import { createPostgresDatabase } from './db/postgres.js';
import { createProfileRepository } from './repository/profiles.js';
import { createProfileService } from './services/profiles.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics } from './telemetry/metrics.js';

export type Container = Awaited<ReturnType<typeof compose>>;

/**
 * The one composition root: builds every client, repository and service from config and hands them
 * down. Tests call it too, against real services, optionally passing a database they made.
 */
export type OpenDatabase = (observe: QueryObserver) => Promise<Database>;

export async function compose(opts: {
  config: Config;
  logger: Logger;
  /** Replaces the database chosen from config (tests hand in their own). */
  openDatabase?: OpenDatabase;
  defaultMetrics?: boolean;
}) {
  const { config, logger } = opts;
  const metrics = createMetrics({ defaultMetrics: opts.defaultMetrics ?? true });
  const db = await (opts.openDatabase ?? ((observe) => openDatabase(config, logger, observe)))(
    metrics.observeQuery,
  );
  metrics.watchPools(() => db.stats());

  try {
    if (config.dbMigrateOnStart) {
      const applied = await migrate(db, (msg) => logger.info(msg));
      logger.info({ applied: applied.length }, 'database migrations up to date');
    }
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }

  const profiles = createProfileService({ repo: createProfileRepository(db) });

  return {
    config,
    logger,
    metrics,
    db,
    services: { profiles },
    async close() {
      await db.close();
    },
  };
}

export async function openDatabase(config: Config, logger: Logger, observe: QueryObserver) {
  if (config.dbUri) {
    return createPostgresDatabase({
      uri: config.dbUri,
      readUri: config.dbReadUri,
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
