import type { RedisClient } from '../../cache/redis-store.js';

export type Counted = { current: number; ttl: number };
export type CountCallback = (err: Error | null, res?: Counted) => void;

// KEYS[1]: a caller's count in the current window. ARGV: window (ms), budget, requests wanted.
// It grants at most a sixteenth of what is left (and at least one), so the last requests of a budget
// are each counted here; a spent budget grants nothing and counts nothing. The count is the same
// integer with the same expiry as the plugin's own script keeps, so the two can share a key.
const LEASE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local window = tonumber(ARGV[1])
local remaining = tonumber(ARGV[2]) - current
if remaining <= 0 then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = window end
  return {current, ttl, 0}
end
local grant = math.min(tonumber(ARGV[3]), math.max(1, math.floor(remaining / 16)))
local count = redis.call('INCRBY', KEYS[1], grant)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
return {count, ttl, grant}
`;

/** A grant covers what the caller sent this instance over this long. */
const LEASE_SPAN_MS = 100;

type LeaseScript = {
  rateLimitLease(
    key: string,
    windowMs: number,
    max: number,
    want: number,
    cb: (err: Error | null, res?: [number, number, number]) => void,
  ): void;
};

/** What this instance holds of one caller's budget in the current window. */
type Lease = {
  /** Counted in Redis for this instance and not yet spent. */
  tokens: number;
  /** The window's count in Redis as of the last grant (this instance's unspent tokens included). */
  count: number;
  /** When the window ends, by this clock: from the moment the grant was asked for, so never late. */
  resetAt: number;
  /** The budget was spent at the last grant: nothing can be granted before the window ends. */
  spent: boolean;
  asking: boolean;
  waiting: CountCallback[];
  /** Requests since the last grant was asked for, and when that was: the caller's rate here. */
  demand: number;
  askedAt: number;
};

export type LeasedCounterOptions = {
  redis: RedisClient;
  keyPrefix: string;
  /** Most requests one grant covers (default 64). */
  leaseMax?: number;
  /** Most callers held at once; the least recently granted go first (default 100,000). */
  maxCallers?: number;
};

/**
 * Counts in Redis by leases: an instance takes a few requests of a caller's budget at a time (as
 * many as the caller sent it in the last LEASE_SPAN_MS, within `leaseMax` and a sixteenth of what is
 * left) and spends them without a round trip. Every request admitted was counted in Redis before it
 * was admitted, so no number of instances lets a caller past its budget; what a lease costs is that
 * tokens left on an instance the caller no longer reaches are not spent elsewhere in that window.
 * A slow caller, a small budget and the end of any budget get one round trip per request, as
 * before. Once Redis says a budget is spent, the rest of the window is refused without asking.
 */
export function createLeasedCounter(opts: LeasedCounterOptions) {
  const leaseMax = opts.leaseMax ?? 64;
  const maxCallers = opts.maxCallers ?? 100_000;
  opts.redis.defineCommand('rateLimitLease', { numberOfKeys: 1, lua: LEASE });
  const script = opts.redis as unknown as LeaseScript;
  const leases = new Map<string, Lease>();

  /** Answers from what is held; false when a grant has to be asked for first. */
  const spend = (lease: Lease, cb: CountCallback, t: number): boolean => {
    if (t >= lease.resetAt) return false;
    if (lease.tokens > 0) {
      lease.tokens--;
      cb(null, { current: lease.count - lease.tokens, ttl: lease.resetAt - t });
      return true;
    }
    if (!lease.spent) return false;
    cb(null, { current: lease.count + 1, ttl: lease.resetAt - t });
    return true;
  };

  const ask = (key: string, lease: Lease, windowMs: number, max: number) => {
    const askedAt = Date.now();
    const rate = lease.demand / Math.max(1, askedAt - lease.askedAt);
    const want = Math.min(leaseMax, Math.max(1, Math.ceil(rate * LEASE_SPAN_MS)));
    lease.asking = true;
    lease.demand = 0;
    lease.askedAt = askedAt;
    // Kept in the order of their last grant, so that the cap lets go of the idlest caller.
    leases.delete(key);
    leases.set(key, lease);
    if (leases.size > maxCallers) leases.delete(leases.keys().next().value as string);
    script.rateLimitLease(opts.keyPrefix + key, windowMs, max, want, (err, res) => {
      lease.asking = false;
      const waiting = lease.waiting;
      lease.waiting = [];
      if (err || !res) {
        for (const cb of waiting) cb(err ?? new Error('rate limit lease: no answer'));
        return;
      }
      const [count, ttl, grant] = res;
      lease.count = count;
      lease.tokens = grant;
      lease.spent = grant === 0;
      lease.resetAt = askedAt + ttl;
      const t = Date.now();
      for (const cb of waiting) if (!spend(lease, cb, t)) lease.waiting.push(cb);
      if (lease.waiting.length > 0) ask(key, lease, windowMs, max);
    });
  };

  return {
    incr(key: string, cb: CountCallback, windowMs: number, max: number): void {
      // A caller not held yet is entered by its first grant (ask).
      const lease = leases.get(key) ?? {
        tokens: 0,
        count: 0,
        resetAt: 0,
        spent: false,
        asking: false,
        waiting: [],
        demand: 0,
        askedAt: 0,
      };
      lease.demand++;
      if (!lease.asking && spend(lease, cb, Date.now())) return;
      lease.waiting.push(cb);
      if (!lease.asking) ask(key, lease, windowMs, max);
    },
    /** Callers held (for tests). */
    size: () => leases.size,
  };
}
