import { describe } from 'node:test';
import {
  openTestPglite,
  openTestPostgres,
  REDIS_ADDRESS,
  servicesUnavailable,
  suitePrefixes,
} from '../kit/services.js';
import { imageSuite } from './images.suite.js';

const skip = await servicesUnavailable('postgres', 'redis');
describe('images: real PostgreSQL and Redis, filesystem storage', { skip }, () => {
  const prefix = suitePrefixes()('img');
  imageSuite(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('img', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});

describe('images: embedded (PGlite, in-process cache)', () => {
  imageSuite('PGlite', openTestPglite);
});
