// `npm run migrate`: applies pending migrations to DB_URI (or to the embedded database when unset).
import { join } from 'node:path';
import { migrate } from '../db/migrate.js';
import { createPgliteDatabase } from '../db/pglite.js';
import { createPostgresDatabase } from '../db/postgres.js';
import { loadConfigOrExit } from './run.js';

const config = loadConfigOrExit();
const db = config.dbUri
  ? createPostgresDatabase({
      uri: config.dbUri,
      poolMax: 1,
      statementTimeoutMs: 0,
      onError: (err) => console.error(err.message),
    })
  : await createPgliteDatabase({ dataDir: join(config.dataDir, 'pglite') });
try {
  const applied = await migrate(db, (msg) => console.log(msg));
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
