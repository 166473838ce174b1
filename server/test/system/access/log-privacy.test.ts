// No log line ever holds an email or a token: the production server's whole output, through a run
// of requests that carry both (creates, an admin's search by email, updates, bad and good tokens).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, testIssuer } from '../../kit/identity.js';
import { type Spawned, spawnServer } from '../../kit/process.js';
import { createTestDatabase, servicesUnavailable, type TestDatabase } from '../../kit/services.js';

const skip = await servicesUnavailable('postgres');
describe('logs hold no personal data', { skip, timeout: 120_000 }, () => {
  let db: TestDatabase;
  let server: Spawned;
  before(async () => {
    db = await createTestDatabase('logs');
    server = await spawnServer('server', {
      ...(await testIssuer()).env,
      DB_URI: db.uri,
      LOG_LEVEL: 'debug',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'logs-test-')),
      RATE_LIMIT_ENABLED: 'false',
    });
  });
  after(async () => {
    server?.proc.kill('SIGTERM');
    await server?.exit;
    await db?.drop();
  });

  it('emails and tokens never appear in the output, whatever the requests carried', async () => {
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    const email = `private.person.${process.pid}@example.com`;
    const user = await bearer(email);
    const admin = await bearer('admin@example.com', { admin: true });
    const tokens = [user.authorization, admin.authorization].map((h) => h.slice('Bearer '.length));
    const send = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
    const created = await send('/profiles', {
      method: 'POST',
      headers: user,
      body: JSON.stringify({ name: 'Private', email }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const duplicate = await send('/profiles', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Dup', email }),
    });
    assert.equal(duplicate.status, 409);
    assert.equal((await send(`/profiles?q=${encodeURIComponent(email)}`, { headers: admin })).status, 200);
    assert.equal(
      (
        await send(`/profiles/${id}`, {
          method: 'PATCH',
          headers: user,
          body: JSON.stringify({ email: `new.${email}` }),
        })
      ).status,
      200,
    );
    assert.equal((await send('/me', { headers: user })).status, 200);
    assert.equal((await send('/me', { headers: { authorization: `Bearer ${tokens[0]}x` } })).status, 401);
    assert.equal(
      (await send(`/profiles/${id}`, { method: 'PATCH', headers: user, body: '{"email": not json' })).status,
      400,
    );
    // Stopped, the server has written every line it had.
    server.proc.kill('SIGTERM');
    await server.exit;
    const output = server.output();
    assert.match(output, /request completed/, 'the access log is there');
    assert.ok(!output.includes(email), 'no email');
    assert.ok(!/[\w.+-]+@example\.com/.test(output), 'nothing that looks like one of the emails');
    for (const token of tokens) {
      assert.ok(!output.includes(token), 'no token');
      assert.ok(!output.includes(token.split('.')[1] as string), 'not even a token’s claims');
    }
  });
});
