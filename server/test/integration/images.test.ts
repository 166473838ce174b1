import { after, describe } from 'node:test';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import {
  createTestDatabase,
  dropPrefix,
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  uniquePrefix,
} from '../helpers/services.js';
import { imageSuite } from './images.suite.js';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
describe('images: real PostgreSQL and Redis, filesystem storage', { skip }, () => {
  const prefix = uniquePrefix('img');
  after(() => dropPrefix(prefix));
  imageSuite(
    'PostgreSQL + Redis',
    async (observe) => {
      const testDb = await createTestDatabase('img');
      const db = createPostgresDatabase({
        uri: testDb.uri,
        poolMax: 5,
        statementTimeoutMs: 5000,
        onError: () => {},
        observe,
      });
      return { db, cleanup: () => testDb.drop() };
    },
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});

describe('images: embedded (PGlite, in-process cache)', () => {
  imageSuite('PGlite', async (observe) => {
    const db = await createPgliteDatabase({ dataDir: undefined, observe });
    return { db, cleanup: async () => {} };
  });
});
