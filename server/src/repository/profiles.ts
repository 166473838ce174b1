import type { Profile, ProfileChanges } from '../api/schemas/profile.js';
import { constraintOf, type Database, type Queryable, sqlState } from '../db/database.js';
import { ERRORS } from '../errors.js';
import { profileEventFrom } from '../events/profile-events.js';
import type { Cursor } from '../lib/cursor.js';
import { MEDIA_DELETE_TASK, mediaDeleteFrom } from '../tasks/media-delete.js';
import { notifyIfDue } from './tasks.js';

export type { Profile, ProfileChanges };

export type ProfileRow = Omit<Profile, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

/** Result of a conditional write: the new row, or why there is none. */
export type WriteOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found' | 'version_mismatch' };

export const PROFILE_COLUMNS = 'id, name, email, bio, image_urls, version, created_at, updated_at';

/** The columns qualified by a table name, for statements that join another table with the same names. */
export const profileColumnsOf = (table: string) =>
  PROFILE_COLUMNS.split(', ')
    .map((c) => `${table}.${c}`)
    .join(', ');

export function toProfile(row: ProfileRow): Profile {
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}

function emailTaken(err: unknown): never {
  if (sqlState(err) === '23505' && constraintOf(err) !== 'profiles_pkey') {
    throw ERRORS.emailTaken();
  }
  throw err;
}

/** Escapes LIKE wildcards so that `q` matches literally. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createProfileRepository(db: Pick<Database, 'query' | 'reader' | 'transaction'>) {
  async function versionOf(id: string, q: Queryable = db): Promise<number | undefined> {
    const rows = await q.query<{ version: number }>(
      'SELECT version FROM profiles WHERE id = $1',
      [id],
      'profile_version',
    );
    return rows[0]?.version;
  }

  async function whyMissed(id: string): Promise<'not_found' | 'version_mismatch'> {
    return (await versionOf(id)) === undefined ? 'not_found' : 'version_mismatch';
  }

  return {
    async insert(p: { id: string; name: string; email: string; bio: string; now: Date }): Promise<Profile> {
      const rows = await db
        .query<ProfileRow>(
          `WITH p AS (
             INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING ${PROFILE_COLUMNS}
           ), e AS (${profileEventFrom('created', 'p.updated_at')})
           SELECT * FROM p`,
          [p.id, p.name, p.email, p.bio, p.now],
          'profile_insert',
        )
        .catch(emailTaken);
      return toProfile(rows[0] as ProfileRow);
    },

    async findById(id: string): Promise<Profile | undefined> {
      const rows = await db.query<ProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE id = $1`,
        [id],
        'profile_by_id',
      );
      return rows[0] && toProfile(rows[0]);
    },

    /** Newest first, keyset on (created_at, id). Reads from the replica when one is configured. */
    async list(opts: {
      limit: number;
      after?: Cursor | undefined;
      q?: string | undefined;
    }): Promise<Profile[]> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (opts.after) {
        params.push(opts.after.createdAt, opts.after.id);
        where.push(`(created_at, id) < ($${params.length - 1}, $${params.length}::uuid)`);
      }
      if (opts.q) {
        params.push(likePattern(opts.q));
        where.push(`(name ILIKE $${params.length} OR email ILIKE $${params.length})`);
      }
      params.push(opts.limit);
      const sql = `SELECT ${PROFILE_COLUMNS} FROM profiles ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`;
      const name = `profile_list${opts.after ? '_after' : ''}${opts.q ? '_q' : ''}`;
      return (await db.reader.query<ProfileRow>(sql, params, name)).map(toProfile);
    },

    /** Applies changes and bumps the version, only if the current version is `expected` (when given). */
    async update(
      id: string,
      changes: ProfileChanges,
      expected: number | undefined,
      now: Date,
    ): Promise<WriteOutcome<Profile>> {
      const rows = await db
        .query<ProfileRow>(
          `WITH p AS (
             UPDATE profiles SET
               name = COALESCE($2, name), email = COALESCE($3, email), bio = COALESCE($4, bio),
               version = version + 1, updated_at = GREATEST($5, created_at)
             WHERE id = $1 AND ($6::integer IS NULL OR version = $6::integer)
             RETURNING ${PROFILE_COLUMNS}
           ), e AS (${profileEventFrom('updated', 'p.updated_at')})
           SELECT * FROM p`,
          [id, changes.name ?? null, changes.email ?? null, changes.bio ?? null, now, expected ?? null],
          'profile_update',
        )
        .catch(emailTaken);
      if (rows[0]) return { ok: true, value: toProfile(rows[0]) };
      return { ok: false, reason: await whyMissed(id) };
    },

    /**
     * Deletes the profile with its images, and in the same statement schedules the deletion of the
     * images' objects (a retried task), so no object outlives its rows unnoticed. The row is locked
     * first: an upload that committed meanwhile is then seen by the delete (a statement of its own,
     * with a fresh snapshot), and one that has not started cannot (it needs the row too).
     */
    async delete(
      id: string,
      expected: number | undefined,
      cleanupTaskId: string,
    ): Promise<WriteOutcome<Profile>> {
      return db.transaction(async (tx) => {
        const locked = await tx.query<{ version: number }>(
          'SELECT version FROM profiles WHERE id = $1 FOR UPDATE',
          [id],
          'profile_lock',
        );
        const current = locked[0]?.version;
        if (current === undefined) return { ok: false, reason: 'not_found' };
        if (expected !== undefined && current !== expected) return { ok: false, reason: 'version_mismatch' };
        const rows = await tx.query<ProfileRow>(
          `WITH p AS (
             DELETE FROM profiles WHERE id = $1 RETURNING ${PROFILE_COLUMNS}
           ), e AS (${profileEventFrom('deleted', 'now()')}),
           i AS (
             DELETE FROM images WHERE profile_id IN (SELECT id FROM p)
             RETURNING original_key, medium_key, thumbnail_key
           ), t AS (${mediaDeleteFrom('i', '$2', '$3')})
           SELECT p.* FROM p ${notifyIfDue('t')}`,
          [id, cleanupTaskId, MEDIA_DELETE_TASK.maxAttempts],
          'profile_delete',
        );
        const row = rows[0];
        if (!row) throw new Error('profile delete returned no row for a locked profile');
        return { ok: true, value: toProfile(row) };
      });
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
