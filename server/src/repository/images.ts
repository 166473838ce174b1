import type { Database, Queryable } from '../db/database.js';
import { sqlState } from '../db/database.js';
import { ERRORS } from '../errors.js';
import { profileEventFrom } from '../events/profile-events.js';
import { MEDIA_DELETE_TASK, mediaDeleteFrom, UPLOAD_INTENT_DELAY_MS } from '../tasks/media-delete.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import type { Seal } from './idempotency.js';
import { type ProfileRecord, type ProfileRow, profileColumnsOf, toProfile } from './profiles.js';
import { notifyIfDue } from './tasks.js';

export type ImageRecord = {
  id: string;
  profile_id: string;
  url: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  original_key: string;
  medium_key: string;
  thumbnail_key: string;
  created_at: string;
};

type ImageRow = Omit<ImageRecord, 'created_at'> & { created_at: Date };

export type NewImage = Omit<ImageRecord, 'created_at'>;

const COLUMNS =
  'id, profile_id, url, content_type, width, height, bytes, original_key, medium_key, thumbnail_key, created_at';

const toImage = (row: ImageRow): ImageRecord => ({ ...row, created_at: row.created_at.toISOString() });

const keysOf = (i: Pick<ImageRecord, 'original_key' | 'medium_key' | 'thumbnail_key'>) => [
  i.original_key,
  i.medium_key,
  i.thumbnail_key,
];

/** One advisory-lock id per object key: uploads hold it shared, the object deleter exclusively. */
const LOCK_KEYS = `SELECT pg_advisory_xact_lock_shared(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`;

export type InsertOutcome =
  | { created: true; image: ImageRecord; profile: ProfileRecord }
  | { created: false; image: ImageRecord };

export function createImageRepository(db: Pick<Database, 'query' | 'transaction'>) {
  /**
   * Schedules the deletion of objects that may have no row (an upload that failed midway), after
   * `delayMs`; the task keeps any object a row names by then.
   */
  async function scheduleCleanup(keys: string[], taskId: string, delayMs = 0): Promise<void> {
    await db.query(
      `WITH i AS (
         SELECT k AS original_key, k AS medium_key, k AS thumbnail_key FROM unnest($1::text[]) AS k
       ), t AS (${mediaDeleteFrom(
         'i',
         { id: '$2', maxAttempts: '$3', traceparent: '$5' },
         'now() + make_interval(secs => $4::float8 / 1000)',
       )})
       SELECT count(*) FROM t ${notifyIfDue('t')}`,
      [keys, taskId, MEDIA_DELETE_TASK.maxAttempts, delayMs, activeTraceparent()],
      'image_schedule_cleanup',
    );
  }

  async function findByContent(q: Queryable, profileId: string, originalKey: string) {
    const rows = await q.query<ImageRow>(
      `SELECT ${COLUMNS} FROM images WHERE profile_id = $1 AND original_key = $2`,
      [profileId, originalKey],
      'image_by_content',
    );
    return rows[0] && toImage(rows[0]);
  }

  async function insertLocked(
    tx: Queryable,
    image: NewImage,
    now: Date,
    putObjects: () => Promise<void>,
    intentTaskId: string,
    maxImages: number,
  ): Promise<InsertOutcome> {
    await tx.query(LOCK_KEYS, [keysOf(image)], 'image_lock_keys');
    // Counted under the profile's row lock, so concurrent uploads cannot pass the limit together.
    const counted = await tx.query<{ n: number }>(
      'SELECT cardinality(image_urls) AS n FROM profiles WHERE id = $1 FOR UPDATE',
      [image.profile_id],
      'image_count_lock',
    );
    const n = counted[0]?.n;
    if (n === undefined) throw ERRORS.notFound('profile');
    if (n >= maxImages) throw ERRORS.imageLimitReached(maxImages);
    const existing = await findByContent(tx, image.profile_id, image.original_key);
    if (existing) {
      await tx.query('DELETE FROM tasks WHERE id = $1', [intentTaskId], 'image_intent_done');
      return { created: false, image: existing };
    }
    await putObjects();
    let rows: (ProfileRow & { image_created_at: Date })[];
    try {
      rows = await tx.query(
        `WITH i AS (
             INSERT INTO images (id, profile_id, url, content_type, width, height, bytes,
                                 original_key, medium_key, thumbnail_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             RETURNING id, profile_id, url, created_at
           ), p AS (
             UPDATE profiles SET image_urls = array_prepend(i.url, profiles.image_urls),
               version = version + 1, updated_at = GREATEST($11, profiles.created_at)
             FROM i WHERE profiles.id = i.profile_id
             RETURNING ${profileColumnsOf('profiles')}
           ), e AS (${profileEventFrom('updated', 'p.updated_at', '$12')})
           SELECT p.*, i.created_at AS image_created_at FROM p, i`,
        [
          image.id,
          image.profile_id,
          image.url,
          image.content_type,
          image.width,
          image.height,
          image.bytes,
          image.original_key,
          image.medium_key,
          image.thumbnail_key,
          now,
          activeTraceparent(),
        ],
        'image_insert',
      );
    } catch (err) {
      // The profile was deleted since the upload began.
      if (sqlState(err) === '23503') throw ERRORS.notFound('profile');
      throw err;
    }
    const row = rows[0];
    if (!row) throw new Error('image insert returned no row');
    const { image_created_at, ...profile } = row;
    return {
      created: true,
      image: { ...image, created_at: image_created_at.toISOString() },
      profile: toProfile(profile),
    };
  }

  return {
    /**
     * Stores an image: `putObjects` writes its objects while this transaction holds the objects' keys
     * shared, so the object deleter (which takes them exclusively) can never delete an object between
     * its put and the commit of the row naming it. The profile's image_urls and version change in the
     * same statement as the insert. An image of the same content already on the profile is returned
     * instead (nothing written). A profile that has `maxImages` already takes no other.
     */
    async insert(
      image: NewImage,
      now: Date,
      putObjects: () => Promise<void>,
      intentTaskId: string,
      maxImages: number,
      seal?: Seal<InsertOutcome>,
    ): Promise<InsertOutcome> {
      // Write-ahead: a delayed cleanup of these keys is committed before any object is written, and
      // deleted by the commit below. A process that dies in between leaves it to run.
      await scheduleCleanup(keysOf(image), intentTaskId, UPLOAD_INTENT_DELAY_MS);
      try {
        return await db.transaction(async (tx) => {
          const outcome = await insertLocked(tx, image, now, putObjects, intentTaskId, maxImages);
          // Under an Idempotency-Key the answer commits with the image row, or neither does.
          await seal?.(tx, outcome);
          return outcome;
        });
      } catch (err) {
        // The same picture reached this profile through a concurrent upload that committed first.
        if (sqlState(err) === '23505') {
          const existing = await findByContent(db, image.profile_id, image.original_key);
          if (existing) return { created: false, image: existing };
        }
        throw err;
      }
    },

    async listByProfile(profileId: string): Promise<ImageRecord[]> {
      // In the order of the profile's image_urls (newest first): concurrent uploads commit in an
      // order their timestamps need not follow, and the two lists must agree.
      const rows = await db.query<ImageRow>(
        `SELECT ${COLUMNS.split(', ')
          .map((c) => `i.${c}`)
          .join(', ')}
         FROM images i JOIN profiles p ON p.id = i.profile_id
         WHERE i.profile_id = $1
         ORDER BY array_position(p.image_urls, i.url), i.created_at DESC, i.id DESC`,
        [profileId],
        'image_list',
      );
      return rows.map(toImage);
    },

    /**
     * Deletes one image of a profile, drops its URL from the profile (a new version) and schedules
     * the deletion of its objects, all in one statement. Undefined when there is no such image.
     */
    async delete(
      profileId: string,
      imageId: string,
      now: Date,
      cleanupTaskId: string,
    ): Promise<ProfileRecord | undefined> {
      const rows = await db.query<ProfileRow>(
        `WITH i AS (
           DELETE FROM images WHERE id = $1 AND profile_id = $2
           RETURNING profile_id, url, original_key, medium_key, thumbnail_key
         ), p AS (
           UPDATE profiles SET image_urls = array_remove(profiles.image_urls, i.url),
             version = version + 1, updated_at = GREATEST($3, profiles.created_at)
           FROM i WHERE profiles.id = i.profile_id
           RETURNING ${profileColumnsOf('profiles')}
         ), e AS (${profileEventFrom('updated', 'p.updated_at', '$6')}),
         t AS (${mediaDeleteFrom('i', { id: '$4', maxAttempts: '$5', traceparent: '$6' })})
         SELECT p.* FROM p ${notifyIfDue('t')}`,
        [imageId, profileId, now, cleanupTaskId, MEDIA_DELETE_TASK.maxAttempts, activeTraceparent()],
        'image_delete',
      );
      return rows[0] && toProfile(rows[0]);
    },

    scheduleCleanup,

    /**
     * Runs `remove` for an object key unless an image still names it, holding the key exclusively so
     * that no upload can name it meanwhile. Returns whether the object was removed.
     */
    async removeIfUnreferenced(key: string, remove: () => Promise<void>): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key], 'image_lock_key');
        const rows = await tx.query<{ used: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM images WHERE original_key = $1)
               OR EXISTS (SELECT 1 FROM images WHERE medium_key = $1)
               OR EXISTS (SELECT 1 FROM images WHERE thumbnail_key = $1) AS used`,
          [key],
          'image_key_used',
        );
        if (rows[0]?.used) return false;
        await remove();
        return true;
      });
    },
  };
}

export type ImageRepository = ReturnType<typeof createImageRepository>;
