import type { Logger } from 'pino';
import { encodeCached, type ProfileRecord } from '../services/profile-views.js';
import type { CacheMetrics } from '../telemetry/metrics.js';
import { type BreakerState, createBreaker } from './breaker.js';
import { type CacheStore, decodeEntry, encodeEntry, GUARD_MS } from './store.js';

/** A cached version: its value is both representations (see profile-views), as encodeCached made it. */
export type CachedProfile = { version: number; json: string };

export type ProfileCacheOptions = {
  store: CacheStore;
  metrics: CacheMetrics;
  logger: Pick<Logger, 'warn' | 'info'>;
  ttlCreatedMs: number;
  ttlUpdatedMs: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
};

/**
 * The profile cache the service talks to: never throws, never waits past its timeout, counts
 * every lookup exactly once as a hit or a miss, and skips a failing store behind a breaker.
 */
export function createProfileCache(opts: ProfileCacheOptions) {
  const { store, metrics, logger } = opts;
  let recovering: Promise<void> | undefined;
  const breaker = createBreaker({
    threshold: opts.breakerThreshold ?? 3,
    cooldownMs: opts.breakerCooldownMs ?? 1000,
    onChange(from, to) {
      metrics.breakerOpen.set(to === 'closed' ? 0 : 1);
      if (to === 'open') logger.warn({ store: store.kind }, 'cache unavailable: serving from the database');
      if (to === 'closed' && from !== 'closed') {
        logger.info({ store: store.kind }, 'cache recovered');
        // Write-throughs may have been lost while it was down: start empty rather than stale.
        recovering = store
          .clear()
          .catch(() => {})
          .finally(() => {
            recovering = undefined;
          });
      }
    },
  });

  // Label children resolved once: label lookups would cost more than the observation itself.
  const timers = new Map<string, { observe(seconds: number): void }>();
  function observe(operation: string, outcome: 'ok' | 'error', started: number) {
    const key = `${operation}:${outcome}`;
    let child = timers.get(key);
    if (!child) {
      child = metrics.operationDuration.labels(operation, outcome);
      timers.set(key, child);
    }
    child.observe((performance.now() - started) / 1000);
  }

  /**
   * Runs one store operation under the breaker; undefined when skipped or failed. The wait is bounded
   * by the store itself: every Redis command has CACHE_TIMEOUT as its command timeout and fails at
   * once while disconnected; the in-process store cannot block.
   */
  async function run<T>(operation: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (!breaker.allow()) return undefined;
    const started = performance.now();
    try {
      if (recovering) await recovering;
      const result = await fn();
      breaker.success();
      observe(operation, 'ok', started);
      return result;
    } catch (err) {
      breaker.failure();
      metrics.errors.inc({ operation });
      observe(operation, 'error', started);
      logger.warn({ err: (err as Error).message, operation }, 'cache operation failed');
      return undefined;
    }
  }

  async function write(profile: ProfileRecord, value: string, ttlMs: number): Promise<void> {
    const result = await run('set', () =>
      store.set(profile.id, profile.version, encodeEntry(profile.version, value), ttlMs),
    );
    if (!result) return;
    if (result.evicted > 0) metrics.evictions.inc(result.evicted);
    if (result.expired > 0) metrics.expirations.inc(result.expired);
  }

  return {
    kind: store.kind,
    async get(id: string): Promise<CachedProfile | undefined> {
      const raw = await run('get', () => store.get(id));
      const entry = raw ? decodeEntry(raw) : undefined;
      (entry ? metrics.hits : metrics.misses).inc();
      return entry;
    },
    /** Read-through and create: version-guarded, CACHE_TTL_CREATED. `value` is encodeCached(profile). */
    stored: (profile: ProfileRecord, value = encodeCached(profile)) =>
      write(profile, value, opts.ttlCreatedMs),
    /** Update: version-guarded, CACHE_TTL_UPDATED. */
    updated: (profile: ProfileRecord, value = encodeCached(profile)) =>
      write(profile, value, opts.ttlUpdatedMs),
    async removed(id: string): Promise<void> {
      await run('remove', () => store.remove(id, GUARD_MS));
    },
    /** Live entries (prunes the expired); undefined while the store is unreachable. */
    size: () => run('size', () => store.size()),
    health(): { status: 'up' | 'degraded'; mode: CacheStore['kind']; breaker: BreakerState } {
      const up = breaker.state === 'closed' && store.connected();
      return { status: up ? 'up' : 'degraded', mode: store.kind, breaker: breaker.state };
    },
    close: () => store.close(),
  };
}

export type ProfileCache = ReturnType<typeof createProfileCache>;
