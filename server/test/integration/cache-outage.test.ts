// The cache failing under the service: Redis stopped mid-run, or a port that accepts and never
// answers. Either way reads stay fast and correct from the database.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { type TestApp, testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { tcpProxy } from '../kit/proxy.js';
import {
  postgresUnavailable,
  REDIS_ADDRESS,
  redisUnavailable,
  suiteDatabase,
  suitePrefixes,
} from '../kit/services.js';
import { api, metric } from './cache-service.suite.js';

const pgSkip = await postgresUnavailable();
const redisSkip = pgSkip ?? (await redisUnavailable());
const [redisHost, redisPort] = REDIS_ADDRESS.split(':') as [string, string];

const timedGet = async (t: TestApp, id: string) => {
  const started = performance.now();
  const res = await api(t).get(id);
  return { res, ms: performance.now() - started };
};
const cacheStatus = async (t: TestApp) => {
  const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(ready.statusCode, 200, 'a cache outage does not make the service unready');
  return (ready.json() as { checks: { cache: { status: string } } }).checks.cache.status;
};

/** A port that accepts connections and never answers, closed when the test ends. */
async function silentPort(ctx: TestContext): Promise<string> {
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => {
    held.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  ctx.after(() => {
    for (const s of held) s.destroy();
    silent.close();
  });
  return `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
}

describe('Redis down or silent', { skip: pgSkip }, () => {
  const db = suiteDatabase('cache_outage');
  const fresh = suitePrefixes();

  it('Redis stopped: GET stays 200 from the database, quickly; the breaker opens, readiness says degraded, and it recovers', {
    skip: redisSkip,
  }, async (ctx) => {
    const proxy = tcpProxy(redisHost, Number(redisPort));
    const address = `127.0.0.1:${await proxy.up()}`;
    ctx.after(() => proxy.down().catch(() => {}));
    const t = await testApp(ctx, {
      env: {
        DB_URI: db.uri,
        REDIS_ADDRESS: address,
        CACHE_KEY_PREFIX: fresh('outage'),
        CACHE_TIMEOUT: '50ms',
      },
    });
    await eventually('the cache is connected', () => t.container.cache.health().status === 'up');
    const made = await api(t).create();
    assert.equal((await api(t).get(made.id)).headers['x-cache'], 'HIT');

    await proxy.down();
    // Until the process sees its connections close, a read may still be answered from memory.
    await eventually('the outage is noticed', () => t.container.cache.health().status === 'degraded');
    for (let i = 0; i < 10; i++) {
      const { res, ms } = await timedGet(t, made.id);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-cache'], 'MISS');
      assert.ok(ms < 1000, `request ${i} did not hang on the cache (${ms.toFixed(0)} ms)`);
    }
    // The breaker opens after 3 consecutive failures (gets and the fills after them), then skips Redis.
    const failed =
      (await metric(t, 'cache_errors_total', 'operation="get"')) +
      (await metric(t, 'cache_errors_total', 'operation="set"'));
    assert.equal(failed, 3);
    assert.equal(await metric(t, 'cache_breaker_open'), 1);
    assert.equal(await cacheStatus(t), 'degraded');

    await proxy.up();
    await eventually(
      'hits are served again once Redis is back',
      async () => (await api(t).get(made.id)).headers['x-cache'],
      { until: (cache) => cache === 'HIT', intervalMs: 100 },
    );
    assert.equal(await metric(t, 'cache_breaker_open'), 0);
    assert.equal(await cacheStatus(t), 'up');
  });

  it('a port that accepts and never answers: GET stays 200 within the cache timeout, readiness degraded', async (ctx) => {
    const address = await silentPort(ctx);
    const t = await testApp(ctx, { env: { DB_URI: db.uri, REDIS_ADDRESS: address, CACHE_TIMEOUT: '50ms' } });
    const made = await api(t).create();
    for (let i = 0; i < 8; i++) {
      const { res, ms } = await timedGet(t, made.id);
      assert.equal(res.statusCode, 200);
      assert.equal((res.json() as { id: string }).id, made.id);
      assert.ok(ms < 1000, `request ${i} did not hang on the silent port (${ms.toFixed(0)} ms)`);
    }
    assert.equal(await cacheStatus(t), 'degraded');
  });
});
