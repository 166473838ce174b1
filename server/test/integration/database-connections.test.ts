// What a failover does to the API's connections, on a real PostgreSQL: connections cut under a
// session or a LISTEN, and a DB_URI that leads to a read-only server. The whole failover, with
// Patroni, is system/failover.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isUnreachable } from '../../src/db/database.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { createTestDatabase, postgresUnavailable } from '../kit/services.js';
import { teardown } from '../kit/teardown.js';

const pgSkip = await postgresUnavailable();

/** Terminates the backends of `db` named `application_name`, from a connection of its own. */
async function terminate(uri: string, applicationName: string): Promise<number> {
  const c = new pg.Client({ connectionString: uri });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid()`,
      [applicationName],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

describe('connections cut by a failover', { skip: pgSkip }, () => {
  it('a connection lost while a session holds it fails the next query (a 503 kind), not the process', async (ctx) => {
    const stack = teardown(ctx);
    const testDb = await createTestDatabase('cut_session');
    stack.after(() => testDb.drop());
    const errors: string[] = [];
    const db = createPostgresDatabase({
      uri: testDb.uri,
      poolMax: 2,
      statementTimeoutMs: 5_000,
      applicationName: 'cut-session-test',
      onError: (err) => errors.push(err.message),
    });
    stack.after(() => db.close());
    const failure = await db
      .session(async (s) => {
        await s.query('SELECT 1');
        // Cut while no query runs: the error arrives on the checked-out client, between queries.
        assert.equal(await terminate(testDb.uri, 'cut-session-test'), 1);
        await sleep(200);
        await s.query('SELECT 2');
      })
      .then(
        () => undefined,
        (err: Error) => err,
      );
    assert.ok(failure, 'the query after the cut fails');
    assert.ok(isUnreachable(failure), failure.message);
    // The broken connection was discarded: the next one works.
    assert.deepEqual(await db.query<{ n: number }>('SELECT 3 AS n'), [{ n: 3 }]);
  });

  it('LISTEN comes back by itself after its connection is cut', async (ctx) => {
    const stack = teardown(ctx);
    const testDb = await createTestDatabase('cut_listen');
    stack.after(() => testDb.drop());
    const db = createPostgresDatabase({
      uri: testDb.uri,
      poolMax: 2,
      statementTimeoutMs: 5_000,
      onError: () => {},
    });
    stack.after(() => db.close());
    let notified = 0;
    const unlisten = await db.listen('cut_listen_test', () => notified++);
    stack.after(unlisten);
    assert.equal(await terminate(testDb.uri, 'profile-service-listen'), 1);
    await eventually(
      'a NOTIFY after the cut is heard',
      async () => {
        await db.query("SELECT pg_notify('cut_listen_test', '')");
        await sleep(100);
        return notified;
      },
      { until: (n) => n > 0, timeoutMs: 15_000, intervalMs: 200 },
    );
  });

  it('a LISTEN that cannot open the first time fails to its caller and tries nothing more', async (ctx) => {
    const errors: string[] = [];
    const db = createPostgresDatabase({
      uri: 'postgres://root@127.0.0.1:1/nothing',
      poolMax: 1,
      statementTimeoutMs: 5_000,
      onError: (_err, pool) => errors.push(pool),
    });
    ctx.after(() => db.close());
    await assert.rejects(
      db.listen('never_opened', () => {}),
      isUnreachable,
    );
    await sleep(1_500); // past the reopen delay
    assert.deepEqual(errors, ['listen'], 'no reopen behind the failed first open');
  });

  it('DB_URI on a read-only server: a write is a 503 with Retry-After, readiness stays truthful, nothing is stored', async (ctx) => {
    const stack = teardown(ctx);
    const testDb = await createTestDatabase('read_only');
    stack.after(() => testDb.drop());
    // Migrated while writable; then every new session is read-only, as on a standby.
    const first = await testApp(stack, { env: { DB_URI: testDb.uri } });
    await first.app.close();
    const name = new URL(testDb.uri).pathname.slice(1);
    const admin = new pg.Client({ connectionString: testDb.uri });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
    await admin.end();
    const t = await testApp(stack, { env: { DB_URI: testDb.uri, DB_MIGRATE_ON_START: 'false' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      payload: { name: 'Read Only', email: 'read.only@example.com' },
    });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal((res.json() as { code: string }).code, 'unavailable');
    assert.equal(res.headers['retry-after'], '1');
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 503);
    const checks = (ready.json() as { checks: { database: { status: string; error: string } } }).checks;
    assert.equal(checks.database.status, 'down');
    assert.match(checks.database.error, /read-only/);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/profiles' });
    assert.deepEqual(list.json(), []);
  });
});
