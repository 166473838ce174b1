import { describe } from 'node:test';
import type { Redis } from 'ioredis';
import { createRedisStore } from '../../src/cache/redis-store.js';
import { globEscaped, scanKeys } from '../kit/redis.js';
import { dropPrefix, REDIS_ADDRESS, redisUnavailable, uniquePrefix } from '../kit/services.js';
import { cacheStoreSuite } from '../suites/cache-store.suite.js';

const skip = await redisUnavailable();

describe('real Redis', { skip }, () => {
  cacheStoreSuite('Redis', async (capacity, opts) => {
    const prefix = uniquePrefix('store');
    const store = createRedisStore({
      address: REDIS_ADDRESS,
      db: 0,
      prefix,
      capacity,
      ...opts,
      commandTimeoutMs: 2000,
    });
    await new Promise<void>((resolve) => store.client.once('ready', () => resolve()));
    const escaped = globEscaped(prefix);
    return {
      store,
      entryIds: async () =>
        (await scanKeys(store.client as Redis, `${escaped}e:*`)).map((k) => k.slice(`${prefix}e:`.length)),
      expiryIds: () => store.client.zrange(`${prefix}expiry`, '0', '-1'),
      dispose: async () => {
        await store.close();
        await dropPrefix(prefix);
      },
    };
  });
});
