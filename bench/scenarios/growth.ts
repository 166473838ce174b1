// "growth": how the cost of a read grows with the table. GET by id and the first list page on the run's
// "service" against fastify-pg at 10k, 100k and 1M profiles (rows added between the steps), and the
// service's list page deep into the keyset (a cursor from the middle of the table), so that a
// non-linear step shows: each figure beside its baseline at the same size, and beside its own 10k
// figure. Runs after the parts that read the seeded table and removes its rows when done, so the
// search part after it sees the table it always did.
import { encodeCursor } from '../../server/src/lib/cursor.js';
import { withClient } from '../lib/db.js';
import { failedNote, keepBest, type LoadResult, type LoadSpec, runLoad } from '../lib/load.js';
import type { Running } from '../lib/proc.js';
import { pick } from '../lib/random.js';
import type { Resources } from '../lib/resources.js';
import { startBaseline } from '../lib/targets.js';

export const GROWTH_PART = 'growth';
export const GROWTH_SIZES = [10_000, 100_000, 1_000_000] as const;
const DOMAIN = '@growth.bench.test';

export type GrowthRow = {
  rows: number;
  scenario: 'GET by id' | 'GET list page' | 'GET list page, middle of the keyset';
  service: LoadResult;
  /** fastify-pg on the same request; none for the deep page (it has no cursor). */
  baseline?: LoadResult;
};
export type GrowthResult = { rows: GrowthRow[]; seedSeconds: number[]; warnings: string[] };

/** Adds profiles until the table holds `total`; returns the seconds it took. */
async function growTo(dbUrl: string, total: number): Promise<number> {
  const started = performance.now();
  await withClient(dbUrl, async (c) => {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM profiles');
    const missing = total - (rows[0]?.n ?? 0);
    if (missing <= 0) return;
    await c.query(
      `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
       SELECT gen_random_uuid(), 'Growth User ' || g, 'growth-' || g || $2, 'Added for the growth part', 1,
              now() - interval '30 days' - g * interval '1 second', now()
       FROM generate_series($3::int + 1, $3::int + $1::int) AS g`,
      [missing, DOMAIN, rows[0]?.n ?? 0],
    );
    await c.query('VACUUM ANALYZE profiles');
  });
  return (performance.now() - started) / 1000;
}

async function sampleIds(dbUrl: string): Promise<string[]> {
  return withClient(dbUrl, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      'SELECT id FROM profiles TABLESAMPLE BERNOULLI (5) LIMIT 20000',
    );
    return rows.map((r) => r.id);
  });
}

/** The service's cursor for the page that starts in the middle of the list order. */
async function middleCursor(dbUrl: string, total: number): Promise<string> {
  return withClient(dbUrl, async (c) => {
    const { rows } = await c.query<{ created_at: Date; id: string }>(
      'SELECT created_at, id FROM profiles ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1',
      [Math.floor(total / 2)],
    );
    const row = rows[0];
    if (!row) throw new Error(`${GROWTH_PART}: no row in the middle of ${total}`);
    return encodeCursor({ createdAt: row.created_at, id: row.id });
  });
}

const byId = (prefix: string, ids: readonly string[]): LoadSpec => ({
  path: `${prefix}/${ids[0]}`,
  next: () => ({ path: `${prefix}/${pick(ids)}` }),
});

export async function runGrowth(res: Resources, service: Running): Promise<GrowthResult> {
  const { dbUrl, durationSec, warmupSec, connections, rounds } = res.config;
  const baseline = await startBaseline(res, 'fastify-pg');
  const rows: GrowthRow[] = [];
  const seedSeconds: number[] = [];
  const opts = { connections, durationSec, warmupSec };
  // BENCH_ROUNDS runs of each side back to back, best kept (the sizes, not the sides, are compared).
  const measure = async (label: string, url: string, spec: LoadSpec) => {
    let best: LoadResult | undefined;
    for (let round = 0; round < rounds; round++) best = keepBest(best, await runLoad(url, spec, opts));
    const r = best as LoadResult;
    console.log(
      `${GROWTH_PART} → ${label} … ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms${failedNote(r)}`,
    );
    return r;
  };
  try {
    for (const total of GROWTH_SIZES) {
      const seconds = await growTo(dbUrl, total);
      seedSeconds.push(seconds);
      console.log(`${GROWTH_PART}: ${total} profiles (${seconds.toFixed(1)} s to add)`);
      const ids = await sampleIds(dbUrl);
      const cursor = await middleCursor(dbUrl, total);
      const at = (what: string) => `${what} at ${total}`;
      rows.push({
        rows: total,
        scenario: 'GET by id',
        service: await measure(at('GET by id, service'), service.url, byId('/api/v1/profiles', ids)),
        baseline: await measure(at('GET by id, fastify-pg'), baseline.url, byId('/profiles', ids)),
      });
      rows.push({
        rows: total,
        scenario: 'GET list page',
        service: await measure(at('list, service'), service.url, { path: '/api/v1/profiles?limit=20' }),
        baseline: await measure(at('list, fastify-pg'), baseline.url, { path: '/profiles' }),
      });
      rows.push({
        rows: total,
        scenario: 'GET list page, middle of the keyset',
        service: await measure(at('deep list page, service'), service.url, {
          path: `/api/v1/profiles?limit=20&cursor=${cursor}`,
        }),
      });
    }
  } finally {
    await baseline.stop();
    await withClient(dbUrl, async (c) => {
      await c.query('DELETE FROM profiles WHERE email LIKE $1', [`%${DOMAIN}`]);
      await c.query('VACUUM ANALYZE profiles');
    });
  }
  const warnings = rows.flatMap((r) =>
    [r.service, r.baseline]
      .filter((l): l is LoadResult => l !== undefined && l.non2xx + l.errors > 0)
      .map((l) => `${GROWTH_PART} "${r.scenario}" at ${r.rows}: ${l.non2xx} non-2xx, ${l.errors} errors`),
  );
  return { rows, seedSeconds, warnings };
}
