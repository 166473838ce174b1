import { describe } from 'node:test';
import { openTestPostgres, REDIS_ADDRESS, servicesUnavailable, suitePrefixes } from '../../kit/services.js';
import { visibilitySuite } from './visibility.suite.js';

const skip = await servicesUnavailable('postgres', 'redis');
describe('real PostgreSQL and Redis', { skip }, () => {
  const prefix = suitePrefixes()('visibility');
  visibilitySuite(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('visibility', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});
