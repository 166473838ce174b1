import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import { encodeEntry } from '../../src/cache/store.js';
import { cacheStoreSuite } from '../suites/cache-store.suite.js';

cacheStoreSuite('in-process', async (capacity, opts) => {
  const store = createMemoryStore({ capacity, ...opts });
  return {
    store,
    entryIds: async () => {
      const order = await store.order();
      const live = await Promise.all(order.map(async (id) => ((await store.get(id)) ? id : undefined)));
      return live.filter((id): id is string => id !== undefined);
    },
    dispose: () => store.close(),
  };
});

/** The twin on a clock the test moves: the edges of a TTL, exactly. */
describe('in-process cache store on a test clock', () => {
  const at = () => {
    let now = 1_000;
    const store = createMemoryStore({ capacity: 2, now: () => now });
    const put = (id: string, version: number, ttl: number) =>
      store.set(id, version, encodeEntry(version, `{"id":"${id}"}`), ttl);
    return { store, put, advance: (ms: number) => (now += ms) };
  };

  it('an entry lives until its TTL has passed, not a millisecond longer', async () => {
    const { store, put, advance } = at();
    await put('a', 1, 100);
    advance(99);
    assert.ok(await store.get('a'));
    advance(1);
    assert.equal(await store.get('a'), null);
    assert.equal(await store.size(), 0);
  });

  it('counts the expired it pruned to make room, apart from the live it evicted', async () => {
    const { put, advance } = at();
    await put('short', 1, 10);
    await put('long', 1, 10_000);
    advance(20);
    assert.deepEqual(await put('new', 1, 10_000), { stored: true, evicted: 0, expired: 1, size: 2 });
    assert.deepEqual(await put('newer', 1, 10_000), { stored: true, evicted: 1, expired: 0, size: 2 });
  });

  it('a write over an expired entry of a newer version lands: expiry frees the version guard', async () => {
    const { store, put, advance } = at();
    await put('a', 5, 10);
    advance(10);
    assert.equal((await put('a', 1, 100)).stored, true);
    assert.deepEqual(await store.order(), ['a']);
  });

  it('is always connected, and close empties it', async () => {
    const { store, put } = at();
    await put('a', 1, 100);
    assert.equal(store.connected(), true);
    assert.equal(store.kind, 'memory');
    await store.close();
    assert.equal(await store.size(), 0);
  });
});
