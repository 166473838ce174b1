// The profiles every HTTP scenario reads and every image upload goes to.
import { withClient } from './db.js';

/** Inserts `rows` profiles and returns every id. */
export async function seedProfiles(dbUrl: string, rows: number): Promise<string[]> {
  return withClient(dbUrl, async (c) => {
    await c.query(
      `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
       SELECT gen_random_uuid(), 'Seed User ' || g, 'seed-' || g || '@bench.test', 'Seeded profile number ' || g, 1,
              now() - g * interval '1 minute', now() - g * interval '1 minute'
       FROM generate_series(1, $1::int) AS g`,
      [rows],
    );
    // Steady state for both sides: hint bits set and visibility map built, so neither pays the first scan.
    await c.query('VACUUM ANALYZE profiles');
    const { rows: ids } = await c.query<{ id: string }>('SELECT id FROM profiles');
    return ids.map((r) => r.id);
  });
}
