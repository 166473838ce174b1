// The first level in front of the Redis store: entries this process read from Redis, kept in memory
// and dropped when Redis says their key changed (server-assisted client-side caching: CLIENT
// TRACKING in broadcast mode for the entries' prefix, its invalidations pushed to a connection of
// its own, over RESP2 pub/sub). Redis stays the one FIFO; this level only ever holds a subset of it.
import type { Redis } from 'ioredis';
import type { CacheStore } from './store.js';

const INVALIDATE = '__redis__:invalidate';
/** A value and its remaining lifetime in one atomic step, so a kept copy expires with its key. */
const ENTRY_WITH_TTL = "return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}";

export type NearCacheOptions = {
  /** Entries kept in memory; past it, the oldest kept goes (from this level only). */
  maxEntries: number;
  /** Silence on the invalidation connection for longer than this drops the level until it answers. */
  heartbeatMs?: number;
  onChange?: (on: boolean, why: string) => void;
  now?: () => number;
};

type Kept = { raw: string; expiresAt: number };
type WithTtl = { entryWithTtl(key: string): Promise<[string | null, number]> };

/**
 * Wraps `store` (whose entries live under `entryPrefix` on `client`). While the invalidation stream
 * is live, a read is answered from memory when it can; otherwise, and for everything else, `store`.
 * Staleness: another instance's write is seen once its invalidation arrives (the delivery of one
 * pub/sub message); this instance's own writes drop the kept copy before and after they run.
 */
export function withNearCache(
  store: CacheStore,
  client: Redis,
  entryPrefix: string,
  opts: NearCacheOptions,
): CacheStore {
  const now = opts.now ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const kept = new Map<string, Kept>();
  // Reads in flight from Redis, by id: an invalidation (or a local write) meanwhile removes the id,
  // and the read's answer, possibly older than the change, is then not kept.
  const filling = new Map<string, object>();
  let live = false;
  let lastHeard = 0;
  client.defineCommand('entryWithTtl', { numberOfKeys: 1, lua: ENTRY_WITH_TTL });
  const reader = client as unknown as WithTtl;

  const drop = (id: string) => {
    kept.delete(id);
    filling.delete(id);
  };
  /** Everything kept, and every read in flight, is let go. */
  const forget = () => {
    kept.clear();
    filling.clear();
  };
  const setLive = (on: boolean, why: string) => {
    // Whatever was kept may have missed invalidations: never carried across a gap.
    forget();
    if (on !== live) opts.onChange?.(on, why);
    live = on;
  };

  // RESP2 on this one: invalidations then arrive as pub/sub messages, which the client delivers
  // (under RESP3 they would be push frames it drops).
  const sub = client.duplicate({
    protocol: 2,
    // The cache's short timeout is for requests; a ping late by less than the heartbeat is fine.
    commandTimeout: heartbeatMs,
    autoResubscribe: false,
    enableOfflineQueue: true,
    connectionName: 'near-cache',
  });
  sub.on('error', () => {});
  sub.on('close', () => setLive(false, 'invalidation connection closed'));
  sub.on('ready', () => {
    // A new connection is a new client: tracking is set up again, then the level opens.
    void (async () => {
      const id = String(await sub.client('ID'));
      await sub.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id, 'BCAST', 'PREFIX', entryPrefix);
      await sub.subscribe(INVALIDATE);
      lastHeard = now();
      setLive(true, 'tracking');
    })().catch((err: Error) => {
      setLive(false, `tracking refused: ${err.message}`);
      sub.disconnect(true);
    });
  });
  sub.on('messageBuffer', (channel: Buffer, keys: unknown) => {
    if (channel.toString() !== INVALIDATE) return;
    lastHeard = now();
    // A nil message is a flush of the whole database.
    if (!Array.isArray(keys)) return forget();
    for (const key of keys) drop(String(key).slice(entryPrefix.length));
  });
  const heartbeat = setInterval(() => {
    if (!live) return;
    if (now() - lastHeard > 2 * heartbeatMs) {
      setLive(false, 'invalidation connection silent');
      sub.disconnect(true);
      return;
    }
    sub
      .ping()
      .then(() => {
        lastHeard = now();
      })
      .catch(() => {});
  }, heartbeatMs);
  heartbeat.unref();

  function keep(id: string, raw: string, ttlMs: number) {
    if (ttlMs <= 0) return;
    kept.delete(id);
    kept.set(id, { raw, expiresAt: now() + ttlMs });
    if (kept.size > opts.maxEntries) {
      const oldest = kept.keys().next().value;
      if (oldest !== undefined) kept.delete(oldest);
    }
  }

  async function localWrite<T>(id: string, write: () => Promise<T>): Promise<T> {
    drop(id);
    try {
      return await write();
    } finally {
      // A read that went to Redis before the write landed may have kept the old value meanwhile.
      drop(id);
    }
  }

  return {
    ...store,
    async get(id) {
      // Once the store's own connection is known lost, so is the stream of invalidations.
      if (!live || !store.connected()) return store.get(id);
      const hit = kept.get(id);
      if (hit) {
        if (hit.expiresAt > now()) return hit.raw;
        kept.delete(id);
      }
      const token = {};
      filling.set(id, token);
      try {
        const [raw, ttlMs] = await reader.entryWithTtl(entryPrefix + id);
        if (raw !== null && live && filling.get(id) === token) keep(id, raw, ttlMs);
        return raw;
      } finally {
        if (filling.get(id) === token) filling.delete(id);
      }
    },
    set: (id, version, value, ttlMs) => localWrite(id, () => store.set(id, version, value, ttlMs)),
    remove: (id, tombstoneMs) => localWrite(id, () => store.remove(id, tombstoneMs)),
    async clear() {
      forget();
      await store.clear();
      forget();
    },
    async close() {
      clearInterval(heartbeat);
      live = false;
      sub.disconnect();
      await store.close();
    },
  };
}
