import { describe } from 'node:test';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { createTestDatabase, postgresUnavailable } from '../helpers/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

const skip = await postgresUnavailable();
describe('real PostgreSQL', { skip }, () => {
  profileApiSuite('PostgreSQL', async (observe) => {
    const testDb = await createTestDatabase('api');
    const db = createPostgresDatabase({
      uri: testDb.uri,
      poolMax: 5,
      statementTimeoutMs: 5000,
      onError: () => {},
      observe,
    });
    return { db, cleanup: () => testDb.drop() };
  });
});
