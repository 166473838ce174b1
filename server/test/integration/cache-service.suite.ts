import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../src/db/database.js';
import { anonymous, type TestApp, testApp, uniqueEmail } from '../kit/app.js';

type Json = Record<string, unknown>;
const BASE = '/api/v1/profiles';
const UNKNOWN_ID = '0190a9f0-0000-7000-8000-000000000000';

/** Reads one sample of a metric from the Prometheus text (0 when absent). */
export async function metric(t: TestApp, name: string, labels = ''): Promise<number> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const escaped = `${name}${labels ? `{${labels}}` : ''}`.replace(/[{}]/g, '\\$&');
  const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

export const api = (t: TestApp) => ({
  create: async (fields: Json = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      payload: { name: 'Cached', email: uniqueEmail('cache'), ...fields },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Json & { id: string; version: number };
  },
  get: (id: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `${BASE}/${id}`, headers }),
  patch: (id: string, body: Json) => t.app.inject({ method: 'PATCH', url: `${BASE}/${id}`, payload: body }),
  remove: (id: string) => t.app.inject({ method: 'DELETE', url: `${BASE}/${id}` }),
});

type Gate = { reached: Promise<void>; arrive(): void; released: Promise<void>; release(): void };
function newGate(): Gate {
  const reached = Promise.withResolvers<void>();
  const released = Promise.withResolvers<void>();
  return {
    reached: reached.promise,
    arrive: reached.resolve,
    released: released.promise,
    release: released.resolve,
  };
}

/** The database, where a statement of that name, while a gate is up, waits after its result is in. */
function holdingReads(db: Database, name: string, gate: () => Gate | undefined): Database {
  const query: Database['query'] = async (sql, params, statement) => {
    const open = statement === name ? gate() : undefined;
    const rows = await db.query(sql, params, statement);
    if (open) {
      open.arrive();
      await open.released;
    }
    return rows as never;
  };
  return Object.assign(Object.create(db) as Database, { query });
}

export type CacheEnv = () => Promise<Record<string, string>>;

/**
 * How the service uses the cache, for Redis and for the in-process twin alike. `env` configures the
 * store; each call must give a fresh, empty cache namespace, and each test gets an app (and so a
 * cache) of its own: what one test leaves in the cache cannot change what another measures.
 */
export function cacheServiceSuite(name: string, env: CacheEnv) {
  describe(`profile cache in the service: ${name}`, () => {
    const fresh = async (t: TestContext) =>
      testApp(t, { env: { CACHE_MAX_ENTRIES: '10', ...(await env()) } });

    it('writes through on create and update, reads through on a miss, removes on delete', async (ctx) => {
      const a = api(await fresh(ctx));
      const p = await a.create();
      const first = await a.get(p.id);
      assert.equal(first.headers['x-cache'], 'HIT', 'create wrote through');
      assert.deepEqual(first.json(), p);

      await a.patch(p.id, { bio: 'new' });
      const updated = await a.get(p.id);
      assert.equal(updated.headers['x-cache'], 'HIT');
      assert.equal((updated.json() as Json).version, 2);
      assert.equal((updated.json() as Json).bio, 'new');
      assert.equal(updated.headers.etag, '"2p"');
      // One cached entry serves both representations of the version.
      const seen = await a.get(p.id, anonymous());
      assert.deepEqual([seen.headers['x-cache'], seen.headers.etag], ['HIT', '"2"']);
      assert.equal((seen.json() as Json).email, undefined);

      assert.equal((await a.remove(p.id)).statusCode, 204);
      const gone = await a.get(p.id);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.headers['x-cache'], undefined);
    });

    it('evicts the oldest of 11 and serves it again through a miss', async (ctx) => {
      const a = api(await fresh(ctx));
      const made = [];
      for (let i = 0; i < 11; i++) made.push(await a.create());
      const [oldest, second] = made;
      const miss = await a.get(oldest?.id as string);
      assert.equal(miss.statusCode, 200);
      assert.equal(miss.headers['x-cache'], 'MISS', 'the 1st of 11 was evicted');
      assert.deepEqual(miss.json(), oldest);
      assert.equal((await a.get(oldest?.id as string)).headers['x-cache'], 'HIT', 'read-through cached it');
      // Re-caching the oldest pushed out the next-oldest, and nothing else.
      assert.equal((await a.get(second?.id as string)).headers['x-cache'], 'MISS');
      for (const p of made.slice(3))
        assert.equal((await a.get(p.id)).headers['x-cache'], 'HIT', `${p.id} still cached`);
    });

    it('counts every lookup once: hits + misses = lookups; evictions and entries are exact', async (ctx) => {
      const t = await fresh(ctx);
      const a = api(t);
      const made = [];
      for (let i = 0; i < 13; i++) made.push(await a.create());
      for (const p of made.slice(-5)) await a.get(p.id);
      await a.get(UNKNOWN_ID); // unknown: a miss, then 404
      await a.get('not-a-uuid'); // malformed: 404 before any lookup
      const [hits, misses] = [await metric(t, 'cache_hits_total'), await metric(t, 'cache_misses_total')];
      assert.deepEqual([hits, misses], [5, 1], 'six lookups: five cached, one unknown');
      // An empty cache of 10: the 11th to 13th inserts each pushed out the oldest.
      assert.equal(await metric(t, 'cache_evictions_total'), 3);
      assert.equal(await metric(t, 'cache_entries'), 10);
      assert.equal(await metric(t, 'cache_errors_total', 'operation="get"'), 0);
      assert.ok(
        (await metric(t, 'cache_operation_duration_seconds_count', 'operation="set",outcome="ok"')) >= 13,
      );
    });

    it('stampede: concurrent misses for one id make one database read', async (ctx) => {
      const t = await fresh(ctx);
      const a = api(t);
      const target = await a.create();
      for (let i = 0; i < 10; i++) await a.create(); // pushes target out
      const reads = await metric(t, 'db_query_duration_seconds_count', 'query="profile_by_id",outcome="ok"');
      const misses = await metric(t, 'cache_misses_total');
      // Fifty visitors at once (anonymous: no token to verify first, so all fifty look it up together).
      const results = await Promise.all(Array.from({ length: 50 }, () => a.get(target.id, anonymous())));
      assert.ok(results.every((r) => r.statusCode === 200 && (r.json() as Json).id === target.id));
      assert.equal(
        (await metric(t, 'db_query_duration_seconds_count', 'query="profile_by_id",outcome="ok"')) - reads,
        1,
      );
      assert.equal((await metric(t, 'cache_misses_total')) - misses, 50);
    });

    it('a read that began before an update cannot put its older version back after an eviction', async (ctx) => {
      let gate: Gate | undefined;
      const t = await testApp(ctx, {
        env: { CACHE_MAX_ENTRIES: '2', ...(await env()) },
        wrapDatabase: (db) => holdingReads(db, 'profile_by_id', () => gate),
      });
      const a = api(t);
      const p = await a.create();
      await a.patch(p.id, { bio: 'v2' });
      await a.create();
      await a.create(); // p is evicted: the next read of it goes to the database
      gate = newGate();
      const reading = a.get(p.id, anonymous());
      await gate.reached; // that read now holds version 2, and waits
      const held = gate;
      gate = undefined;
      assert.equal((await a.patch(p.id, { bio: 'v3' })).statusCode, 200);
      await a.create();
      await a.create(); // version 3 is evicted in turn
      held.release();
      assert.equal((await reading).statusCode, 200);
      const after = await a.get(p.id, anonymous());
      assert.equal((after.json() as Json).version, 3, 'served at the version the database has');
      assert.equal(after.headers['x-cache'], 'MISS', 'version 2 was not cached');
    });

    it('reports the cache in readiness', async (ctx) => {
      const t = await fresh(ctx);
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(ready.statusCode, 200);
      const cache = (ready.json() as { checks: { cache: { status: string; breaker: string } } }).checks.cache;
      assert.equal(cache.status, 'up');
      assert.equal(cache.breaker, 'closed');
    });
  });
}

/** TTLs come from CACHE_TTL_CREATED (create and read-through) and CACHE_TTL_UPDATED (update). */
export function cacheTtlSuite(name: string, env: CacheEnv) {
  describe(`cache TTLs: ${name}`, () => {
    it('a created entry lives CACHE_TTL_CREATED, an updated one CACHE_TTL_UPDATED', async (ctx) => {
      const t = await testApp(ctx, {
        env: { ...(await env()), CACHE_TTL_CREATED: '300ms', CACHE_TTL_UPDATED: '1h' },
      });
      const a = api(t);
      const created = await a.create();
      const updated = await a.create();
      await a.patch(updated.id, { bio: 'kept for an hour' });
      await sleep(450);
      assert.equal((await a.get(created.id)).headers['x-cache'], 'MISS', 'expired after CACHE_TTL_CREATED');
      assert.equal((await a.get(updated.id)).headers['x-cache'], 'HIT', 'an update lives CACHE_TTL_UPDATED');
    });
  });
}
