import { describe } from 'node:test';
import { openTestPostgres, REDIS_ADDRESS, servicesUnavailable, suitePrefixes } from '../kit/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

// The production shape: real PostgreSQL with the Redis cache in front of it.
const skip = await servicesUnavailable('postgres', 'redis');
describe('real PostgreSQL and Redis', { skip }, () => {
  const prefix = suitePrefixes()('api');
  profileApiSuite(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('api', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});
