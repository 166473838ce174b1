import { createRequire } from 'node:module';
import type { RedisClient } from '../../cache/redis-store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { type CountCallback, type Counted, createLeasedCounter } from './rate-limit-lease.js';

type Store = {
  incr(key: string, cb: CountCallback, timeWindow: number, max: number): void;
  child(route: unknown): Store;
};

// The plugin's in-process store, built on directly.
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => Store;

/**
 * A store whose budgets are per class of request, not per route: the plugin's stores key each
 * route apart (`child` per route); here every route of a class shares the caller's one counter
 * (the class is in the key). On Redis, counted by leases (rate-limit-lease.ts); a count that
 * cannot be made lets the request through (fail open: the limiter must never take the API down with
 * Redis), counted in a metric and logged once per outage.
 */
export function createClassStore(opts: {
  redis?: RedisClient | undefined;
  keyPrefix: string;
  metrics: Pick<Metrics['access'], 'rateLimitStoreErrors'>;
  logger: Pick<Logger, 'warn' | 'info'>;
}) {
  const inner = opts.redis
    ? createLeasedCounter({ redis: opts.redis, keyPrefix: opts.keyPrefix })
    : new LocalStore(false, false, 100_000);
  let failing = false;
  const store: Store = {
    incr(key, cb, timeWindow, max) {
      inner.incr(
        key,
        (err, res) => {
          if (!err) {
            if (failing) opts.logger.info('rate limits counted again');
            failing = false;
            cb(null, res as Counted);
            return;
          }
          opts.metrics.rateLimitStoreErrors.inc();
          if (!failing)
            opts.logger.warn({ err: err.message }, 'rate limits cannot be counted: letting requests through');
          failing = true;
          cb(null, { current: 0, ttl: timeWindow });
        },
        timeWindow,
        max,
      );
    },
    child: () => store,
  };
  // The plugin constructs its store from a class: this one hands back the shared instance.
  return function ClassStore() {
    return store;
  } as unknown as new (
    options: unknown,
  ) => Store;
}
