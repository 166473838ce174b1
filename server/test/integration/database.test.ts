import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../src/db/database.js';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { startTestApp, testApp } from '../kit/app.js';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../kit/services.js';
import { type Teardown, teardown } from '../kit/teardown.js';

const pgSkip = await postgresUnavailable();
const openPg = (uri: string) =>
  createPostgresDatabase({ uri, poolMax: 4, statementTimeoutMs: 5000, onError: () => {} });

/** Behaviour both engines must share: transactions isolated and atomic, migrations idempotent. */
function engineContract(engine: string, open: () => Promise<{ db: Database; done(): Promise<void> }>) {
  describe(`${engine}: transactions and migrations`, () => {
    let db: Database;
    let done: () => Promise<void>;
    before(async () => {
      ({ db, done } = await open());
      await migrate(db);
      await db.query('CREATE TABLE IF NOT EXISTS tx_probe (n integer)');
    });
    after(async () => {
      await db?.close();
      await done?.();
    });

    it('keeps an open transaction invisible to concurrent queries until it commits', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let inserted!: () => void;
      const insertedP = new Promise<void>((r) => {
        inserted = r;
      });
      const tx = db.transaction(async (q) => {
        await q.query('INSERT INTO tx_probe (n) VALUES (1)');
        inserted();
        await gate;
      });
      await insertedP;
      // On PGlite this query waits for the transaction (one session); on PostgreSQL it runs beside it.
      const during = db.query<{ c: number }>('SELECT count(*)::int AS c FROM tx_probe');
      await sleep(50);
      release();
      await tx;
      const [row] = await during;
      if (engine === 'PostgreSQL') assert.equal(row?.c, 0, 'uncommitted row not visible');
      else assert.equal(row?.c, 1, 'serialised after the commit, never inside the transaction');
      const [after] = await db.query<{ c: number }>('SELECT count(*)::int AS c FROM tx_probe');
      assert.equal(after?.c, 1);
    });

    it('rolls back a transaction that throws, and the connection stays usable', async () => {
      await assert.rejects(
        db.transaction(async (q) => {
          await q.query('INSERT INTO tx_probe (n) VALUES (2)');
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.query<{ c: number }>('SELECT count(*)::int AS c FROM tx_probe WHERE n = 2');
      assert.equal(rows[0]?.c, 0);
    });

    it('applies migrations once: a second run applies nothing', async () => {
      assert.deepEqual(await migrate(db), []);
      const rows = await db.query<{ version: string }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.ok(rows.some((r) => r.version === '0001_profiles'));
    });

    it('refuses to run when an applied migration was edited', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
      try {
        await cp(MIGRATIONS_DIR, dir, { recursive: true });
        await writeFile(join(dir, '0001_profiles.sql'), '-- edited\nSELECT 1;');
        await assert.rejects(
          migrate(db, () => {}, dir),
          /0001_profiles was edited/,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('rolls back a failing migration whole and records nothing', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
      try {
        await cp(MIGRATIONS_DIR, dir, { recursive: true });
        await writeFile(
          join(dir, '9999_broken.sql'),
          'CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;',
        );
        await assert.rejects(
          migrate(db, () => {}, dir),
          /9999_broken failed/,
        );
        const tables = await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
        assert.equal(tables.length, 0);
        const recorded = await db.query("SELECT 1 FROM schema_migrations WHERE version = '9999_broken'");
        assert.equal(recorded.length, 0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

/** A fresh database on the real server, dropped when the test ends. */
async function freshDatabase(ctx: Teardown, prefix: string) {
  const db = await createTestDatabase(prefix);
  ctx.after(() => db.drop());
  return db;
}

describe('real PostgreSQL', { skip: pgSkip }, () => {
  let testDb: TestDatabase;
  engineContract('PostgreSQL', async () => {
    testDb = await createTestDatabase('db');
    return { db: openPg(testDb.uri), done: () => testDb.drop() };
  });

  it('applies each migration exactly once when several instances start together', async (ctx) => {
    const stack = teardown(ctx);
    const fresh = await freshDatabase(stack, 'race');
    const dbs = Array.from({ length: 4 }, () => openPg(fresh.uri));
    stack.after(() => Promise.all(dbs.map((db) => db.close())));
    const results = await Promise.all(dbs.map((db) => migrate(db)));
    assert.equal(results.flat().filter((v) => v === '0001_profiles').length, 1);
  });

  it('sends list reads to DB_READ_URI and reads by id (which must be fresh) to the primary', async (ctx) => {
    const stack = teardown(ctx);
    const primary = await freshDatabase(stack, 'primary');
    const replica = await freshDatabase(stack, 'replica');
    const seedReplica = openPg(replica.uri);
    stack.after(() => seedReplica.close());
    await migrate(seedReplica);
    const onlyOnReplica = '0190a9f0-0000-7000-8000-00000000beef';
    await seedReplica.query(
      `INSERT INTO profiles (id, name, email, created_at, updated_at) VALUES ($1, 'Replica Row', 'r@example.com', now(), now())`,
      [onlyOnReplica],
    );
    const t = await testApp(stack, { env: { DB_URI: primary.uri, DB_READ_URI: replica.uri } });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/profiles' });
    assert.deepEqual(
      (list.json() as { id: string }[]).map((p) => p.id),
      [onlyOnReplica],
    );
    const byId = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${onlyOnReplica}` });
    assert.equal(byId.statusCode, 404, 'read by id goes to the primary');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /db_pool_connections_max\{pool="replica"\}/);
  });

  it('reads fall back to the primary while DB_READ_URI cannot be reached', async (ctx) => {
    const stack = teardown(ctx);
    const primary = await freshDatabase(stack, 'fallback');
    const t = await testApp(stack, {
      env: { DB_URI: primary.uri, DB_READ_URI: 'postgres://root@127.0.0.1:1/replica_down' },
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      payload: { name: 'Primary Only', email: 'primary.only@example.com' },
    });
    assert.equal(created.statusCode, 201);
    for (let i = 0; i < 3; i++) {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/profiles' });
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(
        (list.json() as { email: string }[]).map((p) => p.email),
        ['primary.only@example.com'],
      );
    }
  });

  it('readiness turns 503 with the database down in its body, while liveness stays 200', async (ctx) => {
    const t = await testApp(ctx, {
      env: { DB_URI: 'postgres://root@127.0.0.1:1/nothing', DB_MIGRATE_ON_START: 'false' },
    });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 503);
    const body = ready.json() as {
      status: string;
      checks: { database: { status: string; error: string } };
    };
    assert.equal(body.status, 'unavailable');
    assert.equal(body.checks.database.status, 'down');
    assert.equal(typeof body.checks.database.error, 'string');
    assert.equal((await t.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/0190a9f0-0000-7000-8000-000000000000',
    });
    assert.equal(read.statusCode, 503, 'a database outage is retryable, reported without driver detail');
    assert.equal((read.json() as { code: string }).code, 'unavailable');
    assert.equal(read.headers['retry-after'], '1');
    assert.doesNotMatch(read.body, /ECONNREFUSED|127\.0\.0\.1/);
  });
});

engineContract('PGlite', async () => {
  const db = await createPgliteDatabase({ dataDir: undefined });
  return { db, done: async () => {} };
});

describe('embedded PGlite persistence', () => {
  it('keeps data under DATA_DIR across restarts', async (ctx) => {
    const stack = teardown(ctx);
    const dataDir = await mkdtemp(join(tmpdir(), 'profiles-data-'));
    stack.after(() => rm(dataDir, { recursive: true, force: true }));
    const first = await startTestApp({ env: { DATA_DIR: dataDir } });
    const created = await first.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      payload: { name: 'Persisted', email: 'persisted@example.com' },
    });
    assert.equal(created.statusCode, 201);
    await first.close();

    const second = await testApp(stack, { env: { DATA_DIR: dataDir } });
    const id = (created.json() as { id: string }).id;
    const read = await second.app.inject({ method: 'GET', url: `/api/v1/profiles/${id}` });
    assert.equal(read.statusCode, 200);
    assert.equal((read.json() as { name: string }).name, 'Persisted');
  });
});
