// The profiles every HTTP scenario reads and every image upload goes to, and who owns some of them.
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

/** Makes each subject the owner of its profile (who may PATCH it without being an admin). */
export async function assignOwners(dbUrl: string, owners: ReadonlyArray<{ id: string; sub: string }>) {
  await withClient(dbUrl, (c) =>
    c.query(
      `UPDATE profiles SET owner_sub = o.sub
         FROM unnest($1::uuid[], $2::text[]) AS o(id, sub) WHERE profiles.id = o.id`,
      [owners.map((o) => o.id), owners.map((o) => o.sub)],
    ),
  );
}
