import type { ProfileChanges } from '../api/schemas/profile.js';
import { constraintOf, type Database, type Queryable, sqlState } from '../db/database.js';
import { ERRORS } from '../errors.js';
import { profileEventFrom } from '../events/profile-events.js';
import type { Cursor } from '../lib/cursor.js';
import type { ProfileRecord } from '../services/profile-views.js';
import { MEDIA_DELETE_TASK, mediaDeleteFrom } from '../tasks/media-delete.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import type { Seal } from './idempotency.js';
import { notifyIfDue } from './tasks.js';

export type { ProfileChanges, ProfileRecord };

export type ProfileRow = Omit<ProfileRecord, 'created_at' | 'updated_at' | 'owner'> & {
  owner_sub: string | null;
  created_at: Date;
  updated_at: Date;
};

/** Result of a conditional write: the new row, or why there is none. */
export type WriteOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found' | 'forbidden' | 'version_mismatch' };

/**
 * Who a conditional write acts for: `anyone` (an admin) or a subject, who may change only what it
 * owns. Checked in the statement itself, so a denied write changes nothing.
 */
export type Actor = { anyone: true } | { anyone: false; sub: string };

const actorSub = (actor: Actor) => (actor.anyone ? null : actor.sub);

export const PROFILE_COLUMNS = 'id, name, email, bio, image_urls, version, created_at, updated_at, owner_sub';

/** The columns qualified by a table name, for statements that join another table with the same names. */
export const profileColumnsOf = (table: string) =>
  PROFILE_COLUMNS.split(', ')
    .map((c) => `${table}.${c}`)
    .join(', ');

export function toProfile({ owner_sub, created_at, updated_at, ...row }: ProfileRow): ProfileRecord {
  return {
    ...row,
    owner: owner_sub,
    created_at: created_at.toISOString(),
    updated_at: updated_at.toISOString(),
  };
}

function conflicts(err: unknown): never {
  if (sqlState(err) === '23505') {
    const constraint = constraintOf(err);
    if (constraint === 'profiles_owner_sub_key') throw ERRORS.profileExists();
    if (constraint !== 'profiles_pkey') throw ERRORS.emailTaken();
  }
  throw err;
}

export function createProfileRepository(db: Pick<Database, 'query' | 'reader' | 'transaction'>) {
  async function stateOf(id: string, q: Queryable = db, lock = '') {
    const rows = await q.query<{ version: number; owner_sub: string | null }>(
      `SELECT version, owner_sub FROM profiles WHERE id = $1 ${lock}`,
      [id],
      lock ? 'profile_lock' : 'profile_state',
    );
    return rows[0];
  }

  /** Why a conditional write found nothing to change: missing, not the actor's, or another version. */
  function judge(
    state: { version: number; owner_sub: string | null } | undefined,
    actor: Actor,
    expected: readonly number[] | undefined,
  ): 'not_found' | 'forbidden' | 'version_mismatch' | undefined {
    if (!state) return 'not_found';
    if (!actor.anyone && state.owner_sub !== actor.sub) return 'forbidden';
    if (expected !== undefined && !expected.includes(state.version)) return 'version_mismatch';
    return undefined;
  }

  return {
    async insert(
      p: {
        id: string;
        name: string;
        email: string;
        bio: string;
        owner: string | null;
        now: Date;
      },
      seal?: Seal<ProfileRecord>,
    ): Promise<ProfileRecord> {
      const write = async (q: Queryable) => {
        const rows = await q
          .query<ProfileRow>(
            `WITH p AS (
               INSERT INTO profiles (id, name, email, bio, owner_sub, version, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING ${PROFILE_COLUMNS}
             ), e AS (${profileEventFrom('created', 'p.updated_at', '$7')})
             SELECT * FROM p`,
            [p.id, p.name, p.email, p.bio, p.owner, p.now, activeTraceparent()],
            'profile_insert',
          )
          .catch(conflicts);
        return toProfile(rows[0] as ProfileRow);
      };
      if (!seal) return write(db);
      // Under an Idempotency-Key the answer commits with the profile, or neither does.
      return db.transaction(async (tx) => {
        const profile = await write(tx);
        await seal(tx, profile);
        return profile;
      });
    },

    async findByOwner(sub: string): Promise<ProfileRecord | undefined> {
      const rows = await db.query<ProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE owner_sub = $1`,
        [sub],
        'profile_by_owner',
      );
      return rows[0] && toProfile(rows[0]);
    },

    async findById(id: string): Promise<ProfileRecord | undefined> {
      const rows = await db.query<ProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE id = $1`,
        [id],
        'profile_by_id',
      );
      return rows[0] && toProfile(rows[0]);
    },

    /** Newest first, keyset on (created_at, id). Reads from the replica when one is configured. */
    async list(opts: { limit: number; after?: Cursor | undefined }): Promise<ProfileRecord[]> {
      const params: unknown[] = [opts.limit];
      if (opts.after) params.push(opts.after.createdAt, opts.after.id);
      const sql = `SELECT ${PROFILE_COLUMNS} FROM profiles
        ${opts.after ? 'WHERE (created_at, id) < ($2, $3::uuid)' : ''}
        ORDER BY created_at DESC, id DESC LIMIT $1`;
      const rows = await db.reader.query<ProfileRow>(
        sql,
        params,
        `profile_list${opts.after ? '_after' : ''}`,
      );
      return rows.map(toProfile);
    },

    /**
     * Applies changes and bumps the version, only for an actor allowed to and only if the current
     * version is one of `expected` (when given; an empty list matches nothing).
     */
    async update(
      id: string,
      actor: Actor,
      changes: ProfileChanges,
      expected: readonly number[] | undefined,
      now: Date,
    ): Promise<WriteOutcome<ProfileRecord>> {
      const rows = await db
        .query<ProfileRow>(
          `WITH p AS (
             UPDATE profiles SET
               name = COALESCE($2, name), email = COALESCE($3, email), bio = COALESCE($4, bio),
               version = version + 1, updated_at = GREATEST($5, created_at)
             WHERE id = $1 AND ($6::integer[] IS NULL OR version = ANY($6::integer[]))
               AND ($7::text IS NULL OR owner_sub = $7::text)
             RETURNING ${PROFILE_COLUMNS}
           ), e AS (${profileEventFrom('updated', 'p.updated_at', '$8')})
           SELECT * FROM p`,
          [
            id,
            changes.name ?? null,
            changes.email ?? null,
            changes.bio ?? null,
            now,
            expected ?? null,
            actorSub(actor),
            activeTraceparent(),
          ],
          'profile_update',
        )
        .catch(conflicts);
      if (rows[0]) return { ok: true, value: toProfile(rows[0]) };
      return { ok: false, reason: judge(await stateOf(id), actor, expected) ?? 'version_mismatch' };
    },

    /**
     * Deletes the profile with its images, and in the same statement schedules the deletion of the
     * images' objects (a retried task), so no object outlives its rows unnoticed. The row is locked
     * first: an upload that committed meanwhile is then seen by the delete (a statement of its own,
     * with a fresh snapshot), and one that has not started cannot (it needs the row too).
     */
    async delete(
      id: string,
      actor: Actor,
      expected: readonly number[] | undefined,
      cleanupTaskId: string,
    ): Promise<WriteOutcome<ProfileRecord>> {
      return db.transaction(async (tx) => {
        const refused = judge(await stateOf(id, tx, 'FOR UPDATE'), actor, expected);
        if (refused) return { ok: false, reason: refused };
        const rows = await tx.query<ProfileRow>(
          `WITH p AS (
             DELETE FROM profiles WHERE id = $1 RETURNING ${PROFILE_COLUMNS}
           ), e AS (${profileEventFrom('deleted', 'now()', '$4')}),
           i AS (
             DELETE FROM images WHERE profile_id IN (SELECT id FROM p)
             RETURNING original_key, medium_key, thumbnail_key
           ), t AS (${mediaDeleteFrom('i', { id: '$2', maxAttempts: '$3', traceparent: '$4' })})
           SELECT p.* FROM p ${notifyIfDue('t')}`,
          [id, cleanupTaskId, MEDIA_DELETE_TASK.maxAttempts, activeTraceparent()],
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
