// Rate-limit counts by leases on a real Redis: a budget is never exceeded by any number of
// instances, a busy caller costs a round trip per lease instead of per request, small budgets and
// the end of a budget are counted request by request, and a spent budget is refused without asking.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type Counted, createLeasedCounter } from '../../../src/api/plugins/rate-limit-lease.js';
import { REDIS_ADDRESS, redisUnavailable, suitePrefixes } from '../../kit/services.js';

const skip = await redisUnavailable();
const [host, port] = REDIS_ADDRESS.split(':') as [string, string];

/** One instance's counter on a connection of its own, and how many round trips it has made. */
function instance(prefix: string, opts: { leaseMax?: number; maxCallers?: number } = {}) {
  const redis = new Redis({ host, port: Number(port), lazyConnect: false });
  const counter = createLeasedCounter({ redis, keyPrefix: prefix, ...opts });
  const client = redis as unknown as { rateLimitLease: (...args: unknown[]) => unknown };
  const lease = client.rateLimitLease.bind(redis);
  let trips = 0;
  client.rateLimitLease = (...args: unknown[]) => {
    trips++;
    return lease(...args);
  };
  const count = (key: string, windowMs: number, max: number) =>
    new Promise<Counted>((resolve, reject) =>
      counter.incr(key, (err, res) => (err || !res ? reject(err) : resolve(res)), windowMs, max),
    );
  return { redis, counter, count, trips: () => trips };
}

type Instance = ReturnType<typeof instance>;

/** `n` requests at once on one instance: how many it admitted (current ≤ max), and their counts. */
async function burst(on: Instance, key: string, n: number, windowMs: number, max: number) {
  const answers = await Promise.all(Array.from({ length: n }, () => on.count(key, windowMs, max)));
  const admitted = answers.filter((a) => a.current <= max);
  return { admitted: admitted.length, currents: admitted.map((a) => a.current) };
}

describe('rate-limit leases on Redis', { skip }, () => {
  const prefixes = suitePrefixes();
  const opened: Instance[] = [];
  const open = (prefix: string, opts?: Parameters<typeof instance>[1]) => {
    const made = instance(prefix, opts);
    opened.push(made);
    return made;
  };
  after(() => {
    for (const o of opened) o.redis.disconnect();
  });

  it('a busy caller costs a round trip per lease: 2,000 requests, each admitted once, a count Redis holds', async () => {
    const prefix = prefixes('lease-busy');
    const a = open(prefix);
    const currents: number[] = [];
    for (let i = 0; i < 20; i++) currents.push(...(await burst(a, 'ip:1', 100, 60_000, 1_000_000)).currents);
    assert.equal(currents.length, 2000, 'all admitted');
    assert.equal(new Set(currents).size, 2000, 'no two requests were given the same count');
    assert.ok(a.trips() < 200, `round trips: ${a.trips()} for 2,000 requests`);
    const stored = Number(await a.redis.get(`${prefix}ip:1`));
    assert.ok(
      stored >= 2000 && stored <= 2000 + 64,
      `Redis counted ${stored}: every admitted request, and at most one lease unspent`,
    );
    assert.ok(Math.max(...currents) <= stored);
  });

  it('two instances never let a caller past its budget, and spend all of it between them', async () => {
    const prefix = prefixes('lease-shared');
    const [a, b] = [open(prefix), open(prefix)];
    const max = 500;
    let admitted = 0;
    let refusedA = false;
    let refusedB = false;
    // Until both have refused: a refusal means that instance holds nothing of the budget any more.
    for (let round = 0; round < 100 && !(refusedA && refusedB); round++) {
      const [x, y] = await Promise.all([
        burst(a, 'sub:s', 40, 60_000, max),
        burst(b, 'sub:s', 40, 60_000, max),
      ]);
      admitted += x.admitted + y.admitted;
      refusedA ||= x.admitted < 40;
      refusedB ||= y.admitted < 40;
    }
    assert.ok(refusedA && refusedB, 'both instances came to refuse');
    assert.equal(admitted, max, 'exactly the budget admitted across the two');
    assert.equal(Number(await a.redis.get(`${prefix}sub:s`)), max, 'and exactly that counted in Redis');
  });

  it('a small budget is counted request by request, as exactly as without leases', async () => {
    const prefix = prefixes('lease-small');
    const [a, b] = [open(prefix), open(prefix)];
    const statuses: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const on = i % 2 === 0 ? a : b;
      statuses.push((await on.count('sub:t', 60_000, 10)).current <= 10);
    }
    assert.deepEqual(statuses, [...Array(10).fill(true), false, false]);
    // The budget's last 31 requests are each one grant: here, all of them.
    assert.equal(
      a.trips() + b.trips(),
      12,
      'one round trip per admitted request, one per instance to learn it is spent',
    );
  });

  it('a spent budget is refused until its window ends without asking Redis, then counted afresh', async () => {
    const prefix = prefixes('lease-window');
    const a = open(prefix);
    const windowMs = 400;
    assert.equal((await burst(a, 'ip:w', 80, windowMs, 50)).admitted, 50);
    const trips = a.trips();
    assert.equal((await burst(a, 'ip:w', 30, windowMs, 50)).admitted, 0, 'refused');
    assert.equal(a.trips(), trips, 'without a round trip');
    await sleep(windowMs + 50);
    assert.equal((await burst(a, 'ip:w', 10, windowMs, 50)).admitted, 10, 'the next window admits again');
    const stored = Number(await a.redis.get(`${prefix}ip:w`));
    assert.ok(stored >= 10 && stored <= 50, `the new window's count starts again: ${stored}`);
  });

  it('a lease is never larger than leaseMax', async () => {
    const prefix = prefixes('lease-size');
    const a = open(prefix, { leaseMax: 8 });
    await burst(a, 'ip:z', 200, 60_000, 1_000_000);
    const stored = Number(await a.redis.get(`${prefix}ip:z`));
    assert.ok(stored >= 200 && stored <= 208, `at most one lease of 8 unspent: ${stored}`);
    assert.ok(a.trips() >= 200 / 8, `round trips: ${a.trips()}`);
  });

  it('holds a bounded number of callers, letting the least recently granted go', async () => {
    const prefix = prefixes('lease-cap');
    const a = open(prefix, { maxCallers: 2 });
    for (const caller of ['ip:1', 'ip:2', 'ip:3', 'ip:1']) await a.count(caller, 60_000, 100);
    assert.equal(a.counter.size(), 2);
  });
});
