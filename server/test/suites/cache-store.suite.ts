import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheStore } from '../../src/cache/store.js';
import { decodeEntry, encodeEntry } from '../../src/cache/store.js';

/** `floorMs`: how long an evicted entry's version guards its id (the store's default if absent). */
export type StoreFactory = (
  capacity: number,
  opts?: { floorMs?: number },
) => Promise<{
  store: CacheStore;
  /** Every id that has an entry, read from the store's own data (Redis keys; the Map). */
  entryIds(): Promise<string[]>;
  /** Ids in the expiry index (Redis only; the Map has none). */
  expiryIds?(): Promise<string[]>;
  dispose(): Promise<void>;
}>;

const DAY = 86_400_000;
const ids = (n: number, tag = 'p') =>
  Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, '0')}`);
const put = (store: CacheStore, id: string, version = 1, ttl = DAY) =>
  store.set(id, version, encodeEntry(version, `{"id":"${id}","version":${version}}`), ttl);

/**
 * The cache semantics, identical for Redis and the in-process twin: run as a unit test on the twin
 * and as an integration test on Redis, so a difference between the two shows up as a failure.
 */
export function cacheStoreSuite(name: string, make: StoreFactory) {
  describe(`FIFO cache store: ${name}`, () => {
    const disposers: (() => Promise<void>)[] = [];
    const open = async (capacity: number, opts?: { floorMs?: number }) => {
      const made = await make(capacity, opts);
      disposers.push(made.dispose);
      return made;
    };
    afterEach(async () => {
      await Promise.all(disposers.splice(0).map((d) => d()));
    });

    it('evicts exactly the oldest inserted keys past capacity', async () => {
      const { store } = await open(10);
      const all = ids(15);
      let evicted = 0;
      for (const id of all) evicted += (await put(store, id)).evicted;
      assert.equal(evicted, 5);
      assert.deepEqual(await store.order(), all.slice(5));
      for (const id of all.slice(0, 5)) assert.equal(await store.get(id), null, `${id} evicted`);
      for (const id of all.slice(5)) assert.ok(await store.get(id), `${id} kept`);
      assert.equal(await store.size(), 10);
    });

    it('the 11th insert evicts the 1st, and only it', async () => {
      const { store } = await open(10);
      const all = ids(11);
      const results = [];
      for (const id of all) results.push(await put(store, id));
      assert.deepEqual(
        results.map((r) => r.evicted),
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      );
      assert.equal(await store.get('p000'), null);
      assert.deepEqual(await store.order(), all.slice(1));
    });

    it('an overwrite keeps its place in the order', async () => {
      const { store } = await open(3);
      await put(store, 'a');
      await put(store, 'b');
      await put(store, 'c');
      assert.equal((await put(store, 'a', 2)).stored, true);
      const r = await put(store, 'd');
      assert.equal(r.evicted, 1);
      assert.deepEqual(await store.order(), ['b', 'c', 'd'], 'a was the oldest insert despite its overwrite');
    });

    it('never replaces a newer or equal version', async () => {
      const { store } = await open(5);
      await put(store, 'a', 3);
      assert.equal((await put(store, 'a', 2)).stored, false);
      assert.equal((await put(store, 'a', 3)).stored, false);
      assert.equal(decodeEntry((await store.get('a')) ?? '')?.version, 3);
      assert.equal((await put(store, 'a', 4)).stored, true);
      assert.equal(decodeEntry((await store.get('a')) ?? '')?.version, 4);
    });

    it('an evicted entry still guards its id: an older version cannot take the place it left', async () => {
      // A read-through that began before an update may end after the update's entry was evicted.
      const { store } = await open(2);
      await put(store, 'a', 5);
      await put(store, 'b');
      assert.equal((await put(store, 'c')).evicted, 1);
      assert.equal(await store.get('a'), null, 'a was evicted');
      assert.equal((await put(store, 'a', 4)).stored, false, 'an older version is refused');
      assert.equal(await store.get('a'), null);
      assert.equal((await put(store, 'a', 5)).stored, true, 'the version it had may come back');
      assert.equal(decodeEntry((await store.get('a')) ?? '')?.version, 5);
      assert.deepEqual(await store.order(), ['c', 'a'], 'as a new insert');
    });

    it('the guard an eviction leaves lapses after its time, and a newer version lands at once', async () => {
      const { store } = await open(1, { floorMs: 40 });
      await put(store, 'a', 5);
      await put(store, 'b', 3);
      assert.equal((await put(store, 'b', 7)).stored, true, 'a newer version is never held back');
      await put(store, 'c');
      assert.equal((await put(store, 'a', 4)).stored, false, 'still guarded');
      await sleep(80);
      assert.equal((await put(store, 'a', 4)).stored, true, 'the guard has lapsed');
      assert.equal((await put(store, 'b', 6)).stored, true, "and so has b's");
    });

    it('a removed id is tombstoned: a late write cannot resurrect it', async () => {
      const { store } = await open(5);
      await put(store, 'a', 1);
      await store.remove('a', 60_000);
      assert.equal(await store.get('a'), null);
      assert.equal((await put(store, 'a', 1)).stored, false);
      assert.equal((await put(store, 'a', 9)).stored, false);
      assert.deepEqual(await store.order(), []);
    });

    it('a tombstone lapses after its time: the id can be cached again', async () => {
      const { store } = await open(5);
      await put(store, 'a', 1);
      await store.remove('a', 40);
      assert.equal((await put(store, 'a', 2)).stored, false, 'still tombstoned');
      await sleep(80);
      assert.equal((await put(store, 'a', 2)).stored, true);
      assert.equal(decodeEntry((await store.get('a')) ?? '')?.version, 2);
    });

    it('expired entries never count toward capacity and leave the order', async () => {
      const { store } = await open(3);
      await put(store, 'short', 1, 40);
      await put(store, 'b');
      await put(store, 'c');
      await sleep(80);
      assert.equal(await store.get('short'), null);
      const r = await put(store, 'd');
      assert.deepEqual({ evicted: r.evicted, size: r.size }, { evicted: 0, size: 3 });
      assert.deepEqual(await store.order(), ['b', 'c', 'd']);
      assert.equal(await store.size(), 3);
    });

    it('an expired key written again is a new insert at the back', async () => {
      const { store } = await open(3);
      await put(store, 'a', 1, 40);
      await put(store, 'b');
      await sleep(80);
      await put(store, 'a', 1);
      assert.deepEqual(await store.order(), ['b', 'a']);
    });

    it('after many concurrent writers, removers and expiries the order index and the entries agree exactly', async () => {
      const made = await open(25);
      const { store } = made;
      const keys = ids(60, 'k');
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; i < 60; i++) {
            const id = keys[(w * 7 + i * 13) % keys.length] as string;
            if (i % 11 === 0) await store.remove(id, 50);
            else await put(store, id, 1 + ((w + i) % 5), i % 9 === 0 ? 30 : DAY);
          }
        }),
      );
      await sleep(60);
      await put(store, 'final');
      const order = await store.order();
      const entries = await made.entryIds();
      assert.equal(new Set(order).size, order.length, 'no duplicates in the order');
      assert.deepEqual([...order].sort(), [...entries].sort(), 'order index == entries');
      if (made.expiryIds)
        assert.deepEqual([...(await made.expiryIds())].sort(), [...order].sort(), 'expiry index == order');
      assert.ok(order.length <= 25);
      assert.equal(await store.size(), order.length);
    });

    it('clear drops every entry', async () => {
      const made = await open(5);
      for (const id of ids(4)) await put(made.store, id);
      await made.store.clear();
      assert.deepEqual(await made.store.order(), []);
      assert.deepEqual(await made.entryIds(), []);
      assert.equal(await made.store.size(), 0);
    });
  });
}
