import { after, describe } from 'node:test';
import {
  dropPrefix,
  openTestPostgres,
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  uniquePrefix,
} from '../kit/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

// The production shape: real PostgreSQL with the Redis cache in front of it.
const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
describe('real PostgreSQL and Redis', { skip }, () => {
  const prefix = uniquePrefix('api');
  after(() => dropPrefix(prefix));
  profileApiSuite(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('api', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});
