// The near (in-process) level in front of Redis, on two instances sharing one Redis and one
// PostgreSQL: what one instance writes, the other stops serving from memory once Redis' invalidation
// reaches it; without the invalidation stream nothing is served from memory.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep, setImmediate as yieldToIo } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { type TestApp, testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { redisClient } from '../kit/redis.js';
import { REDIS_ADDRESS, servicesUnavailable, suiteDatabase, suitePrefixes } from '../kit/services.js';
import { api, metric } from './cache-service.suite.js';

const skip = await servicesUnavailable('postgres', 'redis');

/** The invalidation connections Redis has, with whether tracking is on for them. */
async function nearConnections(redis: Redis): Promise<{ id: string; tracking: boolean }[]> {
  const list = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
  return list
    .split('\n')
    .filter((line) => / name=near-cache /.test(line))
    .map((line) => ({
      id: /\bid=(\d+)/.exec(line)?.[1] ?? '',
      tracking: /\bflags=\S*t/.test(line),
    }));
}

const versionOf = async (t: TestApp, id: string) => {
  const res = await api(t).get(id);
  assert.equal(res.statusCode, 200, res.body);
  return { version: (res.json() as { version: number }).version, cache: res.headers['x-cache'] };
};

describe('near cache over Redis, two instances', { skip }, () => {
  const db = suiteDatabase('cache_near');
  const fresh = suitePrefixes();
  const env = (tag: string) => ({
    DB_URI: db.uri,
    REDIS_ADDRESS,
    CACHE_KEY_PREFIX: fresh(tag),
    CACHE_TIMEOUT: '2s',
  });

  async function twoInstances(ctx: TestContext, tag: string) {
    const e = env(tag);
    const a = await testApp(ctx, { env: e });
    const b = await testApp(ctx, { env: e });
    const redis = redisClient(ctx);
    await eventually(
      'both near levels track',
      async () => (await nearConnections(redis)).filter((c) => c.tracking).length >= 2,
    );
    return { a, b, redis };
  }

  it("a write through one instance reaches the other's memory within the invalidation's delivery", async (ctx) => {
    const { a, b } = await twoInstances(ctx, 'bound');
    const p = await api(a).create();
    // Kept in b's memory: the second read sends nothing to Redis.
    await versionOf(b, p.id);
    assert.equal((await versionOf(b, p.id)).cache, 'HIT');
    const hitsBefore = await metric(b, 'cache_hits_total');
    const delays: number[] = [];
    for (let round = 1; round <= 40; round++) {
      const res = await api(a).patch(p.id, { bio: `round ${round}` });
      assert.equal(res.statusCode, 200, res.body);
      const expected = (res.json() as { version: number }).version;
      const started = performance.now();
      // b reads until it has the new version; each read lets the process read its sockets first.
      for (;;) {
        await yieldToIo();
        const seen = await versionOf(b, p.id);
        assert.ok(seen.version <= expected, 'never newer than the database either');
        if (seen.version === expected) break;
        assert.ok(
          performance.now() - started < 2_000,
          `round ${round}: still version ${seen.version} after 2 s`,
        );
      }
      delays.push(performance.now() - started);
      // And b keeps the new version in memory again.
      await versionOf(b, p.id);
    }
    assert.ok((await metric(b, 'cache_hits_total')) - hitsBefore >= 40, 'b served from its cache meanwhile');
    delays.sort((x, y) => x - y);
    process.stdout.write(
      `# near cache: another instance's write seen after p50 ${delays[20]?.toFixed(2)} ms, max ${delays.at(-1)?.toFixed(2)} ms\n`,
    );
  });

  it('coherence: after concurrent updates and deletes through both, every read through either is the database version', async (ctx) => {
    const { a, b } = await twoInstances(ctx, 'coherence');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await api(a).create()).id);
    const instances = [a, b];
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; i < 30; i++) {
          const t = instances[(w + i) % 2] as TestApp;
          const id = ids[(w * 3 + i) % ids.length] as string;
          if ((w + i) % 3 === 0) await api(t).patch(id, { bio: `w${w} i${i}` });
          else await api(t).get(id);
        }
      }),
    );
    await sleep(100); // the last invalidations' delivery
    const rows = await a.container.db.query<{ id: string; version: number }>(
      'SELECT id, version FROM profiles WHERE id = ANY($1::uuid[])',
      [ids],
    );
    for (const row of rows)
      for (const t of instances) assert.equal((await versionOf(t, row.id)).version, row.version, row.id);
    const hits = (await metric(a, 'cache_hits_total')) + (await metric(b, 'cache_hits_total'));
    assert.ok(hits > 0, 'the stress was served from the cache');
  });

  it('while its invalidation connection is cut nothing is served from memory; then it tracks again', async (ctx) => {
    const { a, b, redis } = await twoInstances(ctx, 'cut');
    const p = await api(a).create();
    await versionOf(b, p.id);
    for (const c of await nearConnections(redis)) await redis.client('KILL', 'ID', c.id);
    const res = await api(a).patch(p.id, { bio: 'while cut' });
    const expected = (res.json() as { version: number }).version;
    assert.equal((await versionOf(b, p.id)).version, expected, 'b did not answer from what it kept');
    await eventually(
      'both near levels track again',
      async () => (await nearConnections(redis)).filter((c) => c.tracking).length >= 2,
    );
    const again = await api(a).patch(p.id, { bio: 'after' });
    const latest = (again.json() as { version: number }).version;
    await eventually(
      'b has the version written after the reconnect',
      async () => (await versionOf(b, p.id)).version,
      {
        until: (v) => v === latest,
        timeoutMs: 2_000,
      },
    );
  });
});
