/**
 * Longer than any database read can take: how long a delete's tombstone and an eviction's floor hold
 * off the write of a read that began before them.
 */
export const GUARD_MS = 60_000;

/** Outcome of a FIFO write, as both stores report it (the metrics are built from these counts). */
export type SetResult = {
  /** false when a newer (or equal) version is cached, or was until evicted, or the id is tombstoned. */
  stored: boolean;
  /** Live entries pushed out by this write to respect capacity. */
  evicted: number;
  /** Expired entries pruned from the order before the eviction decision. */
  expired: number;
  /** Live entries after the write. */
  size: number;
};

/**
 * A strict-FIFO, TTL, version-guarded store of serialised profiles. Every method is one atomic
 * operation (one round trip for Redis). Semantics, shared by Redis and the in-process twin:
 * - a key not present is appended to the order; overwriting a present key keeps its place;
 * - when over capacity, the oldest inserted live key goes;
 * - expired keys are pruned before any eviction decision, so capacity counts live entries only;
 * - a write never replaces a newer or equal version, and never lands on a tombstoned (deleted) id;
 * - nor, for GUARD_MS, below the version of an entry evicted from that id: a read of the database
 *   that began before an update may finish after the update's entry was evicted.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(id: string): Promise<string | null>;
  set(id: string, version: number, value: string, ttlMs: number): Promise<SetResult>;
  /** Removes the entry and leaves a tombstone so that an in-flight read cannot resurrect it. */
  remove(id: string, tombstoneMs: number): Promise<void>;
  /** Live entries, after pruning the expired. */
  size(): Promise<number>;
  /** Drops every entry (tombstones stay). */
  clear(): Promise<void>;
  /** Whether the store is reachable right now (a live connection for Redis). */
  connected(): boolean;
  /** Ids in FIFO order, oldest first (for tests and diagnostics). */
  order(): Promise<string[]>;
  close(): Promise<void>;
}

/** Entries are stored as `<version>|<json>` so the version is read without parsing the JSON. */
export function encodeEntry(version: number, json: string): string {
  return `${version}|${json}`;
}

export function decodeEntry(raw: string): { version: number; json: string } | undefined {
  const bar = raw.indexOf('|');
  const version = Number(raw.slice(0, bar));
  if (bar < 1 || !Number.isInteger(version)) return undefined;
  return { version, json: raw.slice(bar + 1) };
}
