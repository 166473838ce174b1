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

// First and last names of the search part's people: every pairing occurs, so a first name matches
// about 1 row in 40, a last name 1 in 50, a full name 1 in 2,000, an email exactly one.
export const FIRST_NAMES = (
  'Ada Alan Grace Linus Margaret Ken Dennis Barbara Edsger Donald Frances John Mary Tim Radia Shafi ' +
  'Leslie Niklaus Guido Bjarne Anita Hedy Katherine Dorothy Annie Sophie Lucas Mateo Yuki Priya Wei ' +
  'Fatima Olga Ivan Chen Amara Kwame Ingrid Pedro Lena'
).split(' ');
export const LAST_NAMES = (
  'Lovelace Turing Hopper Torvalds Hamilton Thompson Ritchie Liskov Dijkstra Knuth Allen McCarthy ' +
  'Shaw Perlman Goldwasser Lamport Wirth Rossum Stroustrup Borg Lamarr Johnson Vaughan Easley Wilson ' +
  'Martin Garcia Tanaka Sharma Zhang Khan Petrova Ivanov Okafor Mensah Larsen Silva Novak Nakamura ' +
  'Schmidt Rossi Dubois Kowalski Nguyen Park Haddad Cohen Moreau Jensen Popescu'
).split(' ');

/** `rows` people named from the lists above, emails `first.last.<n>@people.test`, oldest last. */
export async function seedPeople(dbUrl: string, rows: number): Promise<void> {
  await withClient(dbUrl, async (c) => {
    await c.query(
      `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
       SELECT gen_random_uuid(), f || ' ' || l, lower(f) || '.' || lower(l) || '.' || g || '@people.test',
              '', 1, now() - g * interval '1 second', now() - g * interval '1 second'
       FROM generate_series(1, $1::int) AS g,
            LATERAL (SELECT ($2::text[])[1 + g % cardinality($2::text[])] AS f,
                            ($3::text[])[1 + (g / cardinality($2::text[])) % cardinality($3::text[])] AS l) AS n`,
      [rows, FIRST_NAMES, LAST_NAMES],
    );
    await c.query('VACUUM ANALYZE profiles');
  });
}
