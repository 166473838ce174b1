import { after, describe } from 'node:test';
import {
  dropPrefix,
  openTestPglite,
  openTestPostgres,
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  uniquePrefix,
} from '../kit/services.js';
import { imageSuite } from './images.suite.js';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
describe('images: real PostgreSQL and Redis, filesystem storage', { skip }, () => {
  const prefix = uniquePrefix('img');
  after(() => dropPrefix(prefix));
  imageSuite(
    'PostgreSQL + Redis',
    (observe) => openTestPostgres('img', observe),
    () => ({ REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' }),
  );
});

describe('images: embedded (PGlite, in-process cache)', () => {
  imageSuite('PGlite', openTestPglite);
});
