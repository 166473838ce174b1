// The task that deletes image objects no image names any more, and the SQL by which the statements
// that delete image rows schedule it. Rows are deleted first, in the statement that schedules this
// task, so an object is always either named by a row or queued for deletion.
import { Type } from 'typebox';
import type { ImageService } from '../services/images.js';
import { OBJECT_KEY } from '../storage/storage.js';
import type { TaskUnit } from './task-type.js';

export const MEDIA_DELETE_TASK = { type: 'media.delete', maxAttempts: 10 } as const;

/**
 * SQL inserting one cleanup task for the object keys of the image rows in `from` (a CTE of deleted
 * rows), or nothing when it is empty. The params are placeholders such as $3: its id, its attempts,
 * and the traceparent of the request that schedules it (its trace goes on in the worker). It returns
 * `run_at`, for notifyIfDue.
 */
export const mediaDeleteFrom = (
  from: string,
  params: { id: string; maxAttempts: string; traceparent: string },
  runAt = 'now()',
) =>
  `INSERT INTO tasks (id, type, status, payload, max_attempts, run_at, created_at, updated_at, traceparent)
   SELECT ${params.id}::uuid, '${MEDIA_DELETE_TASK.type}', 'scheduled',
          jsonb_build_object('keys', jsonb_agg(DISTINCT k.key)), ${params.maxAttempts}::integer, ${runAt}, now(), now(),
          ${params.traceparent}::text
   FROM ${from} d CROSS JOIN LATERAL unnest(ARRAY[d.original_key, d.medium_key, d.thumbnail_key]) AS k(key)
   HAVING count(*) > 0
   RETURNING id, run_at`;

/**
 * How long after an upload began its write-ahead cleanup task runs. Committed before the objects are
 * written and deleted with the commit of their row, it only runs when the upload never committed
 * (the process died midway): then it deletes whatever objects no row names.
 */
export const UPLOAD_INTENT_DELAY_MS = 10 * 60_000;

type Deps = { images: Pick<ImageService, 'removeObjects'> };

export const mediaDeleteTask: TaskUnit<Deps> = {
  name: MEDIA_DELETE_TASK.type,
  summary: 'Deletes image objects that no image names any more',
  payload: Type.Object(
    { keys: Type.Array(Type.String({ pattern: OBJECT_KEY.source }), { minItems: 1, maxItems: 100_000 }) },
    { additionalProperties: false },
  ),
  defaultPayload: {},
  retry: { maxAttempts: MEDIA_DELETE_TASK.maxAttempts, baseDelayMs: 1_000, maxDelayMs: 300_000 },
  submitters: 'admins',
  internal: true,
  // Idempotent: deleting a missing object succeeds, and a key an image names again is kept.
  handler: (deps) => async (payload) => deps.images.removeObjects(payload.keys as string[]),
};
