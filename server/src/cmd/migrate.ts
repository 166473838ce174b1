// `npm run migrate`: applies pending migrations to DB_URI (or to the embedded database when unset).
import { openDatabase } from '../compose.js';
import { migrate } from '../db/migrate.js';
import { loadConfigOrExit } from '../lifecycle/startup.js';
import { createLogger, flushLogger } from '../telemetry/logger.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, sync: true, base: { role: 'migrate' } });
const db = await openDatabase(config, logger, () => {});
try {
  const applied = await migrate(db, (msg) => logger.info(msg));
  logger.info(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
} catch (err) {
  logger.fatal({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await db.close();
  await flushLogger(logger);
}
