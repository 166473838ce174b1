import { describe } from 'node:test';
import { openTestPostgres, REDIS_ADDRESS, servicesUnavailable, suitePrefixes } from '../../kit/services.js';
import { accessMatrix } from './matrix.suite.js';

const skip = await servicesUnavailable('postgres', 'redis');
describe('real PostgreSQL and Redis', { skip }, () => {
  const prefix = suitePrefixes()('access');
  accessMatrix(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('access', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});
