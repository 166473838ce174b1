import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { decodeEntry } from '../../src/cache/store.js';
import { startTestApp, type TestApp } from '../kit/app.js';
import { tcpProxy } from '../kit/proxy.js';
import {
  createTestDatabase,
  dropPrefix,
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  type TestDatabase,
  uniquePrefix,
} from '../kit/services.js';
import { api, cacheServiceSuite, cacheTtlSuite, metric } from './cache-service.suite.js';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable());
const [redisHost, redisPort] = REDIS_ADDRESS.split(':') as [string, string];

describe('cache with real PostgreSQL', { skip }, () => {
  let db: TestDatabase;
  const prefixes: string[] = [];
  const fresh = (tag: string) => {
    const p = uniquePrefix(tag);
    prefixes.push(p);
    return p;
  };
  before(async () => {
    db = await createTestDatabase('cache');
  });
  after(async () => {
    await Promise.all(prefixes.map((p) => dropPrefix(p)));
    await db?.drop();
  });

  // Outside the outage tests the timeout is generous: a loaded CI machine must not turn hits into misses.
  cacheServiceSuite('Redis', async () => ({
    DB_URI: db.uri,
    REDIS_ADDRESS,
    CACHE_KEY_PREFIX: fresh('svc'),
    CACHE_TIMEOUT: '2s',
  }));
  cacheServiceSuite('in-process', async () => ({ DB_URI: db.uri }));
  cacheTtlSuite('Redis', async () => ({
    DB_URI: db.uri,
    REDIS_ADDRESS,
    CACHE_KEY_PREFIX: fresh('ttl'),
    CACHE_TIMEOUT: '2s',
  }));
  cacheTtlSuite('in-process', async () => ({ DB_URI: db.uri }));

  describe('Redis specifics', () => {
    it('every cache operation is one round trip (MONITOR sees one command per operation)', async () => {
      const prefix = fresh('rtt');
      // A generous timeout: this counts round trips; a loaded machine must not turn a write-through into a miss.
      const t = await startTestApp({
        env: { DB_URI: db.uri, REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' },
      });
      // monitor() opens a connection of its own beside the one it is called on: both are closed below.
      const base = new Redis({ host: redisHost, port: Number(redisPort) });
      const monitor = await base.monitor();
      try {
        const a = api(t);
        const p = await a.create(); // loads the scripts
        const seen: string[] = [];
        monitor.on('monitor', (_time: string, args: string[], source: string) => {
          if (source !== 'lua' && args.some((x) => x.includes(prefix)))
            seen.push(String(args[0]).toLowerCase());
        });
        await sleep(100);
        // A script runs as EVALSHA once Redis knows it, as EVAL the first time: one command either way.
        const script = (cmd: string) => (cmd === 'eval' || cmd === 'evalsha' ? 'script' : cmd);
        const steps: [string, () => Promise<unknown>, string[]][] = [
          ['a hit', () => a.get(p.id), ['get']],
          ['an update', () => a.patch(p.id, { bio: 'x' }), ['script']],
          ['a delete', () => a.remove(p.id), ['script']],
        ];
        // MONITOR output trails the replies: let it settle before and after each measured operation.
        const observe = async (fn: () => Promise<unknown>) => {
          await sleep(150);
          seen.length = 0;
          await fn();
          await sleep(150);
          return seen.map(script);
        };
        for (const [what, fn, expected] of steps) assert.deepEqual(await observe(fn), expected, what);
        const q = await a.create();
        for (let i = 0; i < 10; i++) await a.create();
        assert.deepEqual(
          await observe(() => a.get(q.id)),
          ['get', 'script'],
          'a miss: one lookup, then one fill',
        );
      } finally {
        monitor.disconnect();
        base.disconnect();
        await t.close();
      }
    });

    it('coherence: after concurrent reads, updates and deletes on two instances, the cache is never older than the database', async () => {
      const prefix = fresh('coherence');
      // Capacity 2 for 4 ids: constant evictions, so read-through fills race with every update and delete.
      const env = {
        DB_URI: db.uri,
        REDIS_ADDRESS,
        CACHE_KEY_PREFIX: prefix,
        CACHE_MAX_ENTRIES: '2',
        CACHE_TIMEOUT: '2s',
      };
      const instances = [await startTestApp({ env }), await startTestApp({ env })];
      const redis = new Redis({ host: redisHost, port: Number(redisPort) });
      try {
        for (let round = 0; round < 3; round++) {
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
                else if (i > 15) {
                  const r = await a.remove(id);
                  if (r.statusCode === 204) deleted++;
                }
              }
            }),
          );
          const dbVersions = await instances[0]?.container.db.query<{ id: string; version: number }>(
            'SELECT id, version FROM profiles WHERE id = ANY($1::uuid[])',
            [ids],
          );
          const inDb = new Map(dbVersions?.map((r) => [r.id, r.version]));
          for (const id of ids) {
            const raw = await redis.get(`${prefix}e:${id}`);
            const cached = raw ? decodeEntry(raw)?.version : undefined;
            const stored = inDb.get(id);
            if (stored === undefined) assert.equal(cached, undefined, `deleted ${id} is not cached`);
            else if (cached !== undefined)
              assert.equal(cached, stored, `cache for ${id} is not older than the database`);
          }
          assert.ok(deleted <= 2);
        }
      } finally {
        redis.disconnect();
        await Promise.all(instances.map((t) => t.close()));
      }
    });
  });

  describe('Redis down or silent', () => {
    function proxy() {
      const p = tcpProxy(redisHost, Number(redisPort));
      return { up: async () => `127.0.0.1:${await p.up()}`, down: p.down };
    }

    const timedGet = async (t: TestApp, id: string) => {
      const started = performance.now();
      const res = await api(t).get(id);
      return { res, ms: performance.now() - started };
    };

    it('Redis stopped: GET stays 200 from the database, quickly; the breaker opens, readiness says degraded, and it recovers', async () => {
      const p = proxy();
      const address = await p.up();
      const t = await startTestApp({
        env: {
          DB_URI: db.uri,
          REDIS_ADDRESS: address,
          CACHE_KEY_PREFIX: fresh('outage'),
          CACHE_TIMEOUT: '50ms',
        },
      });
      try {
        await sleep(200);
        const made = await api(t).create();
        assert.equal((await api(t).get(made.id)).headers['x-cache'], 'HIT');

        await p.down();
        for (let i = 0; i < 10; i++) {
          const { res, ms } = await timedGet(t, made.id);
          assert.equal(res.statusCode, 200);
          assert.equal(res.headers['x-cache'], 'MISS');
          assert.ok(ms < 1000, `request ${i} did not hang on the cache (${ms.toFixed(0)} ms)`);
        }
        // The breaker opens after 3 consecutive failures (gets and the fills after them), then skips Redis.
        const failed =
          (await metric(t, 'cache_errors_total', 'operation="get"')) +
          (await metric(t, 'cache_errors_total', 'operation="set"'));
        assert.equal(failed, 3);
        assert.equal(await metric(t, 'cache_breaker_open'), 1);
        const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
        assert.equal(ready.statusCode, 200, 'a cache outage does not make the service unready');
        assert.equal(
          (ready.json() as { checks: { cache: { status: string } } }).checks.cache.status,
          'degraded',
        );

        await p.up();
        let hit = false;
        for (let i = 0; i < 100 && !hit; i++) {
          await sleep(100);
          hit = (await api(t).get(made.id)).headers['x-cache'] === 'HIT';
        }
        assert.ok(hit, 'serves hits again once Redis is back');
        assert.equal(await metric(t, 'cache_breaker_open'), 0);
        const back = await t.app.inject({ method: 'GET', url: '/health/ready' });
        assert.equal((back.json() as { checks: { cache: { status: string } } }).checks.cache.status, 'up');
      } finally {
        await t.close();
        await p.down().catch(() => {});
      }
    });

    it('a port that accepts and never answers: GET stays 200 within the cache timeout, readiness degraded', async () => {
      const held: net.Socket[] = [];
      const silent = net.createServer((s) => {
        held.push(s);
        s.on('error', () => {});
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const t = await startTestApp({
        env: { DB_URI: db.uri, REDIS_ADDRESS: address, CACHE_TIMEOUT: '50ms' },
      });
      try {
        const made = await api(t).create();
        for (let i = 0; i < 8; i++) {
          const { res, ms } = await timedGet(t, made.id);
          assert.equal(res.statusCode, 200);
          assert.equal((res.json() as { id: string }).id, made.id);
          assert.ok(ms < 1000, `request ${i} did not hang on the silent port (${ms.toFixed(0)} ms)`);
        }
        const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
        assert.equal(ready.statusCode, 200);
        assert.equal(
          (ready.json() as { checks: { cache: { status: string } } }).checks.cache.status,
          'degraded',
        );
      } finally {
        await t.close();
        for (const s of held) s.destroy();
        silent.close();
      }
    });
  });
});
