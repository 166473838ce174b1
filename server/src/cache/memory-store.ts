import { type CacheStore, GUARD_MS, type SetResult } from './store.js';

type Entry = { version: number; value: string; expiresAt: number };

/**
 * The in-process twin of the Redis store (embedded mode), with the same FIFO, TTL, version and
 * tombstone rules. A Map iterates in insertion order and `set` on a present key keeps its place:
 * exactly the FIFO order required.
 */
export function createMemoryStore(opts: {
  capacity: number;
  floorMs?: number;
  now?: () => number;
}): CacheStore {
  const now = opts.now ?? Date.now;
  const floorMs = opts.floorMs ?? GUARD_MS;
  const entries = new Map<string, Entry>();
  const tombstones = new Map<string, number>();
  // The version an evicted entry had, and until when it still refuses older writes.
  const floors = new Map<string, { version: number; until: number }>();

  function evict(id: string, e: Entry, at: number) {
    entries.delete(id);
    // Kept in the order they lapse (delete, then set, moves a floor to the back): the lapsed ones
    // are always at the front, so sweeping stops at the first that still holds.
    for (const [f, { until }] of floors) {
      if (until > at) break;
      floors.delete(f);
    }
    if (e.version < 2) return;
    floors.delete(id);
    floors.set(id, { version: e.version, until: at + floorMs });
  }

  function pruneExpired(at: number): number {
    let expired = 0;
    for (const [id, e] of entries) {
      if (e.expiresAt <= at) {
        entries.delete(id);
        expired++;
      }
    }
    return expired;
  }

  return {
    kind: 'memory',
    async get(id) {
      const e = entries.get(id);
      if (!e) return null;
      if (e.expiresAt <= now()) {
        entries.delete(id);
        return null;
      }
      return e.value;
    },
    async set(id, version, value, ttlMs): Promise<SetResult> {
      const at = now();
      // Expired entries leave before the capacity decision (a full scan only when over capacity).
      const current = entries.get(id);
      const live = current && current.expiresAt > at ? current : undefined;
      if (current && !live) entries.delete(id);
      const tomb = tombstones.get(id);
      if (tomb !== undefined && tomb > at)
        return { stored: false, evicted: 0, expired: 0, size: entries.size };
      if (tomb !== undefined) tombstones.delete(id);
      if (live && live.version >= version)
        return { stored: false, evicted: 0, expired: 0, size: entries.size };
      const floor = floors.get(id);
      if (floor && floor.until > at && floor.version > version)
        return { stored: false, evicted: 0, expired: 0, size: entries.size };
      if (floor) floors.delete(id);

      entries.set(id, { version, value, expiresAt: at + ttlMs });
      let expired = 0;
      let evicted = 0;
      if (entries.size > opts.capacity) expired = pruneExpired(at);
      for (const [oldest, e] of entries) {
        if (entries.size <= opts.capacity) break;
        evict(oldest, e, at);
        evicted++;
      }
      return { stored: true, evicted, expired, size: entries.size };
    },
    async remove(id, tombstoneMs) {
      entries.delete(id);
      const at = now();
      tombstones.set(id, at + tombstoneMs);
      // Tombstones are short-lived; sweep the stale ones so the map stays small.
      if (tombstones.size > 1024) for (const [t, until] of tombstones) if (until <= at) tombstones.delete(t);
    },
    async size() {
      pruneExpired(now());
      return entries.size;
    },
    async clear() {
      entries.clear();
    },
    async order() {
      pruneExpired(now());
      return [...entries.keys()];
    },
    connected: () => true,
    async close() {
      entries.clear();
      tombstones.clear();
      floors.clear();
    },
  };
}
