import { describe } from 'node:test';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { createTestDatabase, postgresUnavailable } from '../helpers/services.js';
import { taskSuite } from './tasks.suite.js';

const skip = await postgresUnavailable();
describe('real PostgreSQL', { skip }, () => {
  taskSuite('PostgreSQL', async (observe) => {
    const testDb = await createTestDatabase('tasks');
    const db = createPostgresDatabase({
      uri: testDb.uri,
      poolMax: 8,
      statementTimeoutMs: 5000,
      onError: () => {},
      observe,
    });
    return { db, cleanup: () => testDb.drop() };
  });
});

taskSuite('embedded PGlite', async (observe) => ({
  db: await createPgliteDatabase({ dataDir: undefined, observe }),
  cleanup: async () => {},
}));
