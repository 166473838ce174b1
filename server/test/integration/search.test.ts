// Search at scale: terms go through trigram indexes on both engines, a term no index can narrow is
// refused, and a search can neither run past its timeout nor take more of the pool than its share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import { startTestApp, suiteApp, type TestDatabaseOpener } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import {
  createTestDatabase,
  openTestPglite,
  openTestPostgres,
  servicesUnavailable,
} from '../kit/services.js';
import type { Teardown } from '../kit/teardown.js';

type Json = Record<string, unknown>;

async function seed(db: Database, rows: number) {
  await db.query(
    `INSERT INTO profiles (id, name, email, created_at, updated_at)
     SELECT gen_random_uuid(), 'Seeded Person ' || g, 'seeded.' || g || '@search.test', now(), now()
     FROM generate_series(1, $1::int) AS g`,
    [rows],
  );
  await db.query('ANALYZE profiles');
}

/** The plan when a sequential scan is the last resort: an index the operator cannot use shows none. */
const plan = (db: Database, sql: string, term: string) =>
  db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [`%${term}%`]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });

function searchSuite(engine: string, testDatabase: TestDatabaseOpener) {
  describe(`search on ${engine}`, () => {
    const t = suiteApp({ testDatabase });
    const search = (q: string) => t.app.inject({ url: `/api/v1/profiles?q=${encodeURIComponent(q)}` });

    it('reads a rare term through the trigram indexes, not the whole table', async () => {
      await seed(t.container.db, 20_000);
      const byName = await plan(t.container.db, 'SELECT id FROM profiles WHERE name ILIKE $1', 'son 1234');
      assert.match(byName, /profiles_name_trgm_idx/, byName);
      const byEither = await plan(
        t.container.db,
        'SELECT id FROM profiles WHERE name ILIKE $1 OR email ILIKE $1',
        'seeded.1234@',
      );
      assert.match(byEither, /profiles_email_trgm_idx/, byEither);
      const found = (await search('person 12345')).json() as Json[];
      assert.deepEqual(
        found.map((p) => p.name),
        ['Seeded Person 12345'],
      );
    });

    it('answers exactly what a full scan answers, page by page, for common and rare terms', async () => {
      const db = t.container.db;
      for (const [term, pages] of [
        ['person 1', 3],
        ['person 1999', 1],
        ['son 777', 1],
      ] as const) {
        const truth = await db.query<{ id: string }>(
          'SELECT id FROM profiles WHERE name ILIKE $1 ORDER BY created_at DESC, id DESC',
          [`%${term}%`],
        );
        const seen: string[] = [];
        let url: string | undefined = `/api/v1/profiles?limit=100&q=${encodeURIComponent(term)}`;
        for (let page = 0; url && page < pages; page++) {
          const res: LightMyRequestResponse = await t.app.inject({ url });
          assert.equal(res.statusCode, 200, res.body);
          seen.push(...(res.json() as Json[]).map((p) => String(p.id)));
          url = /^<([^>]+)>; rel="next"$/.exec(String(res.headers.link ?? ''))?.[1];
        }
        assert.ok(seen.length > 0, term);
        assert.deepEqual(
          seen,
          truth.slice(0, seen.length).map((r) => r.id),
          term,
        );
        if (pages === 1) assert.equal(seen.length, truth.length, `${term}: every match on one page`);
      }
    });

    for (const [what, q] of [
      ['two letters', 'ab'],
      ['letters apart', 'a z b'],
      ['punctuation only', '...%'],
    ] as const) {
      it(`400 for a term no index can narrow: ${what}`, async () => {
        const res = await search(q);
        assert.equal(res.statusCode, 400, res.body);
        const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
        assert.equal(problem.code, 'validation_failed');
        assert.deepEqual(problem.errors, [
          { field: 'q', message: 'must have at least 3 letters or digits in a row' },
        ]);
      });
    }

    it('takes letters of any script, and an empty q as no search', async () => {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name: 'Łukasz Żółć', email: 'lukasz@search.test' },
      });
      const found = (await search('ŻÓŁ')).json() as Json[];
      assert.deepEqual(
        found.map((p) => p.name),
        ['Łukasz Żółć'],
      );
      assert.equal((await search('   ')).statusCode, 200);
    });
  });
}

searchSuite('PGlite', openTestPglite);

const skip = await servicesUnavailable('postgres');
describe('PostgreSQL', { skip }, () => {
  searchSuite('PostgreSQL', (observe) => openTestPostgres('search', observe));
});

describe('search bounds on PostgreSQL', { skip }, () => {
  // A table another session holds locked: every search blocks until that session lets go.
  async function withProfilesLocked(uri: string, fn: () => Promise<void>) {
    const client = new pg.Client({ connectionString: uri });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE');
      await fn();
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  }
  const started = async (ctx: Teardown, env: Record<string, string>) => {
    const testDb = await createTestDatabase('search');
    const t = await startTestApp({
      testDatabase: async (observe) => ({
        db: createPostgresDatabase({
          uri: testDb.uri,
          poolMax: 6,
          statementTimeoutMs: 5000,
          onError() {},
          observe,
        }),
        cleanup: () => testDb.drop(),
      }),
      env,
    });
    ctx.after(() => t.close());
    return { t, uri: testDb.uri };
  };

  it('cancels a search that runs past SEARCH_TIMEOUT: 503, and the connection serves again', async (ctx) => {
    const { t, uri } = await started(ctx, { SEARCH_TIMEOUT: '300ms' });
    await withProfilesLocked(uri, async () => {
      const res = await t.app.inject({ url: '/api/v1/profiles?q=anyone' });
      assert.equal(res.statusCode, 503, res.body);
      assert.match((res.json() as { detail: string }).detail, /longer than 300 ms/);
      assert.equal(res.headers['retry-after'], '1');
    });
    assert.equal((await t.app.inject({ url: '/api/v1/profiles?q=anyone' })).statusCode, 200);
  });

  it('runs SEARCH_CONCURRENCY searches at once, queues a few, refuses the rest; other reads go on', async (ctx) => {
    const { t, uri } = await started(ctx, { SEARCH_CONCURRENCY: '1', SEARCH_TIMEOUT: '10s' });
    let searches: Promise<{ statusCode: number }>[] = [];
    await withProfilesLocked(uri, async () => {
      // One runs (blocked by the lock), sixteen wait for it; the eighteenth is refused at once.
      searches = Array.from({ length: 17 }, () => t.app.inject({ url: '/api/v1/profiles?q=tester' }));
      await eventually('the first search holds its connection', async () => {
        const rows = await t.container.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%ILIKE%'",
        );
        return rows[0]?.n === 1;
      });
      const refused = await t.app.inject({ url: '/api/v1/profiles?q=tester' });
      assert.equal(refused.statusCode, 503, refused.body);
      assert.match((refused.json() as { detail: string }).detail, /Too many searches/);
      // Waiting searches hold no connection: the pool still has room for everything else.
      const ready = await t.app.inject({ url: '/health/ready' });
      assert.equal(ready.statusCode, 200, ready.body);
    });
    const answers = await Promise.all(searches);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      Array(17).fill(200),
    );
  });
});
