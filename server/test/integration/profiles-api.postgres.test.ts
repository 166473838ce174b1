import { after, describe } from 'node:test';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import {
  createTestDatabase,
  dropPrefix,
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  uniquePrefix,
} from '../helpers/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

// The production shape: real PostgreSQL with the Redis cache in front of it.
const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
describe('real PostgreSQL and Redis', { skip }, () => {
  const prefix = uniquePrefix('api');
  after(() => dropPrefix(prefix));
  profileApiSuite(
    'PostgreSQL + Redis',
    async (observe) => {
      const testDb = await createTestDatabase('api');
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
