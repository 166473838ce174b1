// Rate limits: budgets per caller and class of request, with the IETF draft's headers and a 429
// problem once spent; one budget across instances on one Redis; Redis down lets requests through.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../kit/app.js';
import { bearer } from '../../kit/identity.js';
import { tcpProxy } from '../../kit/proxy.js';
import { REDIS_ADDRESS, servicesUnavailable, suitePrefixes } from '../../kit/services.js';

const LIMITS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_READ: '3/1m',
  RATE_LIMIT_WRITE: '2/1m',
  RATE_LIMIT_UPLOAD: '2/1m',
  RATE_LIMIT_TASK: '2/1m',
};
const read = (app: TestApp, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'GET', url: '/api/v1/profiles', headers });

describe('rate limits (in-process)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ caller: 'as-given', env: LIMITS });
  });
  after(() => app.close());

  it('counts a caller’s reads, says so in RateLimit headers, then answers 429 rate_limited with Retry-After', async () => {
    const ada = await bearer(`ada.rl.${process.pid}@example.com`);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await read(app, ada));
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [200, 200, 200, 429],
    );
    assert.equal(answers[0]?.headers['ratelimit-policy'], '"read";q=3;w=60');
    assert.match(String(answers[0]?.headers.ratelimit), /^"read";r=2;t=\d+$/);
    assert.match(String(answers[2]?.headers.ratelimit), /^"read";r=0;t=\d+$/);
    const refused = answers[3];
    assert.ok(refused);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    assert.equal((refused.json() as { code: string }).code, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal(refused.headers['ratelimit-policy'], '"read";q=3;w=60');
  });

  it('budgets are per caller: another user, and anonymous callers (by address), count apart', async () => {
    const bob = await bearer(`bob.rl.${process.pid}@example.com`);
    assert.equal((await read(app, bob)).statusCode, 200);
    assert.equal((await read(app)).statusCode, 200);
  });

  it('and per class: writes and task submissions spend budgets of their own', async () => {
    const cleo = await bearer(`cleo.rl.${process.pid}@example.com`);
    for (let i = 0; i < 3; i++) await read(app, cleo);
    const write = await app.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      headers: cleo,
      payload: { name: 'Cleo', email: `cleo.rl.${process.pid}@example.com` },
    });
    assert.equal(write.statusCode, 201, 'reads spent, writes not');
    assert.equal(write.headers['ratelimit-policy'], '"write";q=2;w=60');
    const task = await app.app.inject({ method: 'POST', url: '/api/v1/tasks/delayed', headers: cleo });
    assert.equal(task.headers['ratelimit-policy'], '"task";q=2;w=60');
  });

  it('probes and metrics are never counted', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await app.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.ratelimit, undefined);
    }
  });
});

const skip = await servicesUnavailable('redis');
describe('rate limits on Redis', { skip }, () => {
  const prefix = suitePrefixes()('rl');
  const apps: TestApp[] = [];
  after(async () => {
    for (const a of apps) await a.close();
  });

  it('two instances on one Redis share one budget per caller', async () => {
    const env = { ...LIMITS, REDIS_ADDRESS, CACHE_KEY_PREFIX: prefix, CACHE_TIMEOUT: '2s' };
    const [a, b] = [
      await startTestApp({ caller: 'as-given', env }),
      await startTestApp({ caller: 'as-given', env }),
    ];
    apps.push(a, b);
    const dana = await bearer(`dana.rl.${process.pid}.${Date.now()}@example.com`);
    const statuses = [await read(a, dana), await read(b, dana), await read(a, dana), await read(b, dana)].map(
      (r) => r.statusCode,
    );
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('Redis down: requests go through (fail open), counted in a metric', async () => {
    const [host, port] = REDIS_ADDRESS.split(':') as [string, string];
    const proxy = tcpProxy(host, Number(port));
    const via = await proxy.up();
    const app = await startTestApp({
      caller: 'as-given',
      env: {
        ...LIMITS,
        REDIS_ADDRESS: `127.0.0.1:${via}`,
        CACHE_KEY_PREFIX: `${prefix}down:`,
        CACHE_TIMEOUT: '200ms',
      },
    });
    apps.push(app);
    await proxy.down();
    const eve = await bearer(`eve.rl.${process.pid}@example.com`);
    for (let i = 0; i < 6; i++) assert.equal((await read(app, eve)).statusCode, 200, `request ${i + 1}`);
    const metrics = (await app.app.inject({ method: 'GET', url: '/metrics' })).body;
    const errors = Number(/^http_rate_limit_store_errors_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    assert.ok(errors >= 6, `store errors counted: ${errors}`);
  });
});
