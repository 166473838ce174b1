import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { decodeEntry } from '../../src/cache/store.js';
import { type TestApp, testApp } from '../kit/app.js';
import { redisClient } from '../kit/redis.js';
import { REDIS_ADDRESS, servicesUnavailable, suiteDatabase, suitePrefixes } from '../kit/services.js';
import { api, cacheServiceSuite, cacheTtlSuite, metric } from './cache-service.suite.js';

const skip = await servicesUnavailable('postgres', 'redis');

describe('Redis cache with real PostgreSQL', { skip }, () => {
  const db = suiteDatabase('cache_redis');
  const fresh = suitePrefixes();
  // Outside the outage tests the timeout is generous: a loaded machine must not turn hits into misses.
  const redisEnv = (tag: string, extra: Record<string, string> = {}) => ({
    DB_URI: db.uri,
    REDIS_ADDRESS,
    CACHE_KEY_PREFIX: fresh(tag),
    CACHE_TIMEOUT: '2s',
    ...extra,
  });

  cacheServiceSuite('Redis', async () => redisEnv('svc'));
  cacheTtlSuite('Redis', async () => redisEnv('ttl'));

  it('every cache operation is one round trip (MONITOR sees one command per operation)', async (ctx) => {
    const env = redisEnv('rtt');
    const prefix = env.CACHE_KEY_PREFIX;
    const a = api(await testApp(ctx, { env }));
    // monitor() opens a connection of its own beside the one it is called on: both are closed after.
    const monitor = await redisClient(ctx).monitor();
    ctx.after(() => monitor.disconnect());
    const p = await a.create(); // loads the scripts
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua' && args.some((x) => x.includes(prefix))) seen.push(String(args[0]).toLowerCase());
    });
    await sleep(100);
    // A script runs as EVALSHA once Redis knows it, as EVAL the first time: one command either way.
    const script = (cmd: string) => (cmd === 'eval' || cmd === 'evalsha' ? 'script' : cmd);
    // MONITOR output trails the replies: let it settle before and after each measured operation.
    const observe = async (fn: () => Promise<unknown>) => {
      await sleep(150);
      seen.length = 0;
      await fn();
      await sleep(150);
      return seen.map(script);
    };
    // The near level asks Redis for the value with its TTL (one script), then answers from memory.
    assert.deepEqual(await observe(() => a.get(p.id)), ['script'], 'a hit in Redis');
    assert.deepEqual(await observe(() => a.get(p.id)), [], 'a hit in the near level: no command');
    assert.deepEqual(await observe(() => a.patch(p.id, { bio: 'x' })), ['script'], 'an update');
    assert.deepEqual(await observe(() => a.remove(p.id)), ['script'], 'a delete');
    const q = await a.create();
    for (let i = 0; i < 10; i++) await a.create();
    assert.deepEqual(
      await observe(() => a.get(q.id)),
      ['script', 'script'],
      'a miss: one lookup, then one fill',
    );
  });

  it('coherence: after concurrent reads, updates and deletes on two instances, the cache is never older than the database', async (ctx) => {
    // Capacity 2 for 4 ids: constant evictions, so read-through fills race with every update and delete.
    const env = redisEnv('coherence', { CACHE_MAX_ENTRIES: '2' });
    const instances = [await testApp(ctx, { env }), await testApp(ctx, { env })];
    const redis = redisClient(ctx);
    let compared = 0;
    for (let round = 0; round < 3; round++) {
      const ids = await stress(instances);
      compared += await assertNotOlderThanDatabase(instances[0] as TestApp, redis, env.CACHE_KEY_PREFIX, ids);
    }
    // Without these the checks above could all pass on a cache that never held anything.
    const hits =
      (await metric(instances[0] as TestApp, 'cache_hits_total')) +
      (await metric(instances[1] as TestApp, 'cache_hits_total'));
    assert.ok(hits > 0, 'the stress was served from the cache at least once');
    assert.ok(compared > 0, 'at least one cached entry was compared with the database');
  });
});

/** 12 writers on 4 fresh ids, spread over both instances: reads, updates and (late) two deletes. */
async function stress(instances: TestApp[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await api(instances[0] as TestApp).create()).id);
  const doomed = new Set(ids.slice(0, 2));
  let deleted = 0;
  await Promise.all(
    Array.from({ length: 12 }, async (_, w) => {
      for (let i = 0; i < 30; i++) {
        const a = api(instances[(w + i) % 2] as TestApp);
        const id = ids[(w * 5 + i * 3) % ids.length] as string;
        const roll = (w * 31 + i * 17) % 10;
        if (roll < 5) await a.get(id);
        else if (roll < 9 || !doomed.has(id)) await a.patch(id, { bio: `w${w} i${i}` });
        else if (i > 15 && (await a.remove(id)).statusCode === 204) deleted++;
      }
    }),
  );
  assert.ok(deleted <= 2);
  return ids;
}

/** Every cached entry of `ids` has the database's version; a deleted id has none. Returns how many were cached. */
async function assertNotOlderThanDatabase(t: TestApp, redis: Redis, prefix: string, ids: string[]) {
  const rows = await t.container.db.query<{ id: string; version: number }>(
    'SELECT id, version FROM profiles WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const inDb = new Map(rows.map((r) => [r.id, r.version]));
  let cachedCount = 0;
  for (const id of ids) {
    const raw = await redis.get(`${prefix}e:${id}`);
    const cached = raw ? decodeEntry(raw)?.version : undefined;
    const stored = inDb.get(id);
    if (stored === undefined) assert.equal(cached, undefined, `deleted ${id} is not cached`);
    else if (cached !== undefined) {
      cachedCount++;
      assert.equal(cached, stored, `cache for ${id} is not older than the database`);
    }
  }
  return cachedCount;
}
