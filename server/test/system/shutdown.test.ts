import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, testProcessEnv } from '../kit/identity.js';
import { spawnServer } from '../kit/process.js';
import { postgresUnavailable, suiteDatabase } from '../kit/services.js';

const skip = await postgresUnavailable();

type Result = { status: number; body: string; headers: http.IncomingHttpHeaders } | { error: string };

/** Sends a request; `hold` keeps the body's second half back until the returned finish() is called. */
function request(
  port: number,
  method: string,
  path: string,
  opts: { body?: string; hold?: boolean; agent?: http.Agent; headers?: http.OutgoingHttpHeaders } = {},
) {
  let finish = () => {};
  let markSent = () => {};
  // On the wire: connected, and the request (or, held, its first half) written.
  const sent = new Promise<void>((resolve) => {
    markSent = resolve;
  });
  const result = new Promise<Result>((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: opts.agent ?? false,
        headers: {
          ...opts.headers,
          ...(opts.body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) }),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('error', (e) => {
      markSent();
      resolve({ error: e.message });
    });
    if (opts.body !== undefined && opts.hold) {
      const half = Math.floor(opts.body.length / 2);
      req.write(opts.body.slice(0, half), () => markSent());
      finish = () => req.end(opts.body?.slice(half));
    } else {
      req.end(opts.body, () => markSent());
    }
  });
  return { result, sent, finish: () => finish() };
}

const profileBody = (i: number, tag: string) =>
  JSON.stringify({ name: `${tag} ${i}`, email: `${tag}${i}@example.com` });
/** Writes need a token (an admin's, who may create any number of profiles); reads stay anonymous. */
const admin = () => bearer('admin@example.com', { admin: true });
const createProfile = (port: number, auth: http.OutgoingHttpHeaders, body: string, hold = false) =>
  request(port, 'POST', '/api/v1/profiles', { body, hold, headers: auth });
/** The production server on the test database, accepting the test issuer's tokens. */
const startServer = async (env: Record<string, string>) =>
  spawnServer('server', { ...(await testProcessEnv()), ...env });
const failures = (results: Result[]) => results.filter((r) => !('status' in r) || r.status >= 400);

describe('graceful shutdown of the production server', { skip }, () => {
  const db = suiteDatabase('shutdown');

  it('SIGTERM with requests in flight: readiness 503 while draining, all finish, new connections refused, exit 0', async () => {
    const auth = await admin();
    const server = await startServer({ DB_URI: db.uri, SHUTDOWN_DELAY: '400ms' });
    try {
      // 60 uploads whose bodies are still arriving, plus 60 reads, all sent before the signal.
      const held = Array.from({ length: 60 }, (_, i) =>
        createProfile(server.port, auth, profileBody(i, 'held'), true),
      );
      const reads = Array.from({ length: 60 }, () =>
        request(server.port, 'GET', '/api/v1/profiles?limit=100'),
      );
      await sleep(300);
      const signalledAt = Date.now();
      server.proc.kill('SIGTERM');
      await sleep(100);

      const probe = await request(server.port, 'GET', '/health/ready').result;
      assert.ok('status' in probe, `readiness answers while draining: ${JSON.stringify(probe)}`);
      assert.equal(probe.status, 503);
      assert.equal((JSON.parse(probe.body) as { status: string }).status, 'draining');
      assert.equal(probe.headers.connection, 'close');

      await sleep(500); // past SHUTDOWN_DELAY: the listener is closed now
      const late = await request(server.port, 'GET', '/health').result;
      assert.ok(
        'error' in late && /ECONNREFUSED/.test(late.error),
        `new connections refused: ${JSON.stringify(late)}`,
      );

      for (const h of held) h.finish();
      const results = await Promise.all([...held, ...reads].map((r) => r.result));
      assert.deepEqual(failures(results), [], `all ${results.length} in-flight requests succeeded`);
      assert.equal(results.filter((r) => 'status' in r && r.status === 201).length, 60);

      const { code } = await server.exit;
      assert.equal(code, 0, server.output());
      assert.ok(Date.now() - signalledAt < 10_000, 'exited within SHUTDOWN_GRACE');
      assert.match(server.output(), /"msg":"stopped"/);
    } finally {
      server.proc.kill('SIGKILL');
    }
  });

  it('SIGTERM under concurrent load with no drain delay: every request already sent succeeds', async () => {
    const auth = await admin();
    const server = await startServer({ DB_URI: db.uri });
    try {
      const held = Array.from({ length: 40 }, (_, i) =>
        createProfile(server.port, auth, profileBody(i, 'load'), true),
      );
      const burst = Array.from({ length: 150 }, (_, i) =>
        i % 2 === 0
          ? request(server.port, 'GET', '/api/v1/profiles?limit=20')
          : createProfile(server.port, auth, profileBody(i, 'burst')),
      );
      // Every one of them sent before the signal (on a loaded machine that takes a while).
      await Promise.all([...held, ...burst].map((r) => r.sent));
      server.proc.kill('SIGTERM');
      await sleep(50);
      for (const h of held) h.finish();
      const results = await Promise.all([...held, ...burst].map((r) => r.result));
      assert.deepEqual(failures(results), []);
      const { code } = await server.exit;
      assert.equal(code, 0, server.output());
    } finally {
      server.proc.kill('SIGKILL');
    }
  });

  it('closes idle keep-alive connections after SHUTDOWN_LINGER instead of waiting for them', async () => {
    const server = await startServer({ DB_URI: db.uri, SHUTDOWN_GRACE: '5s', SHUTDOWN_LINGER: '500ms' });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const res = await request(server.port, 'GET', '/health', { agent }).result;
      assert.ok('status' in res && res.status === 200);
      const started = Date.now();
      server.proc.kill('SIGTERM');
      const { code } = await server.exit;
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 3_000, 'an idle keep-alive socket does not hold shutdown open');
    } finally {
      agent.destroy();
      server.proc.kill('SIGKILL');
    }
  });
});
