import { describe } from 'node:test';
import { createRedisStore } from '../../src/cache/redis-store.js';
import { dropPrefix, REDIS_ADDRESS, redisUnavailable, uniquePrefix } from '../kit/services.js';
import { cacheStoreSuite } from '../suites/cache-store.suite.js';

const skip = await redisUnavailable();

describe('real Redis', { skip }, () => {
  cacheStoreSuite('Redis', async (capacity) => {
    const prefix = uniquePrefix('store');
    const store = createRedisStore({
      address: REDIS_ADDRESS,
      db: 0,
      prefix,
      capacity,
      commandTimeoutMs: 2000,
    });
    await new Promise<void>((resolve) => store.client.once('ready', () => resolve()));
    const escaped = prefix.replace(/[{}*?[\]]/g, '\\$&');
    const idsUnder = async (pattern: string) => {
      const out: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await store.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        out.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      return out;
    };
    return {
      store,
      entryIds: async () => (await idsUnder(`${escaped}e:*`)).map((k) => k.slice(`${prefix}e:`.length)),
      expiryIds: () => store.client.zrange(`${prefix}expiry`, '0', '-1'),
      dispose: async () => {
        await store.close();
        await dropPrefix(prefix);
      },
    };
  });
});
