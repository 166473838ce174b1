/**
 * The task that deletes objects no image names any more. Rows are deleted first, in the statement
 * that schedules this task, so an object is always either named by a row or queued for deletion.
 */
export const OBJECT_CLEANUP_TASK = { type: 'media.delete', maxAttempts: 10 } as const;

/**
 * SQL inserting one cleanup task for the object keys of the image rows in `from` (a CTE of deleted
 * rows), or nothing when it is empty. `idParam` and `maxAttemptsParam` are placeholders such as $3;
 * it returns `run_at`, for notifyIfDue.
 */
export const cleanupTaskFrom = (from: string, idParam: string, maxAttemptsParam: string, runAt = 'now()') =>
  `INSERT INTO tasks (id, type, status, payload, max_attempts, run_at, created_at, updated_at)
   SELECT ${idParam}::uuid, '${OBJECT_CLEANUP_TASK.type}', 'scheduled',
          jsonb_build_object('keys', jsonb_agg(DISTINCT k.key)), ${maxAttemptsParam}::integer, ${runAt}, now(), now()
   FROM ${from} d CROSS JOIN LATERAL unnest(ARRAY[d.original_key, d.medium_key, d.thumbnail_key]) AS k(key)
   HAVING count(*) > 0
   RETURNING id, run_at`;

/**
 * How long after an upload began its write-ahead cleanup task runs. Committed before the objects are
 * written and deleted with the commit of their row, it only runs when the upload never committed
 * (the process died midway): then it deletes whatever objects no row names.
 */
export const UPLOAD_INTENT_DELAY_MS = 10 * 60_000;
