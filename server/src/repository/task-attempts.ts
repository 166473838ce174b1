import type { Queryable } from '../db/database.js';
import { taskEventFrom } from '../events/task-events.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import { COLUMNS_OF_T, firstPerId, type Task, type TaskRow, toTask } from './task-rows.js';

/** A task handed out: what its message carries, and the context its submitter left with it. */
export type DueTask = { id: string; type: string; traceparent: string | null; created_at: Date };

/**
 * The statements of a task's attempts: handing due tasks out, claiming a delivery, renewing its
 * lease and recording its outcome, each fenced by attempt number.
 */
export function createTaskAttempts(db: Queryable) {
  const attempts = {
    /**
     * Hands out what is due: scheduled tasks whose time has come, and queued or running tasks whose
     * lease lapsed (a lost message, a worker that died mid-run). SKIP LOCKED lets several schedulers
     * run at once without handing one task to two of them.
     */
    async takeDue(limit: number, leaseMs: number): Promise<DueTask[]> {
      return db.query<DueTask>(
        `UPDATE tasks SET status = 'queued', lease_until = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
         WHERE id IN (
           SELECT id FROM tasks
           WHERE (status = 'scheduled' AND run_at <= now())
              OR (status IN ('queued', 'running') AND lease_until < now())
           ORDER BY run_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED
         )
         RETURNING id, type, traceparent, created_at`,
        [limit, leaseMs],
        'task_take_due',
      );
    },

    /** Gives a task back to the scheduler (its message could not be published). */
    async release(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.query(
        `UPDATE tasks SET status = 'scheduled', lease_until = NULL, updated_at = now()
         WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
        [ids],
        'task_release',
      );
    },

    /**
     * Claims delivered tasks for one attempt each, in one statement; per request, in order, the task
     * or undefined when it is not claimable (finished, cancelled, or running under someone else's
     * live lease: the message is then a duplicate; so is a second request for the same id).
     * `traceparent` is the context of the attempt, kept with the task's event.
     */
    async claimMany(
      requests: readonly { id: string; traceparent: string | null }[],
      leaseMs: number,
    ): Promise<(Task | undefined)[]> {
      const rows = await db.query<TaskRow>(
        // The ids also as `= ANY`, so the planner looks each task up by its key rather than scanning
        // every queued one to join them.
        `WITH t AS (
           UPDATE tasks SET status = 'running', attempts = attempts + 1,
             lease_until = now() + make_interval(secs => $3::float8 / 1000),
             started_at = COALESCE(started_at, now()), updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS r(id, traceparent)
           WHERE tasks.id = ANY($1::uuid[]) AND tasks.id = r.id
             AND (tasks.status = 'queued' OR (tasks.status = 'running' AND tasks.lease_until < now()))
           RETURNING tasks.*, r.traceparent AS change_traceparent
         ), e AS (${taskEventFrom('t', 't.change_traceparent')})
         SELECT ${COLUMNS_OF_T} FROM t`,
        [requests.map((r) => r.id), requests.map((r) => r.traceparent), leaseMs],
        'task_claim',
      );
      return firstPerId(requests, rows, toTask);
    },

    /** One claim: see claimMany. */
    async claim(id: string, leaseMs: number): Promise<Task | undefined> {
      const [task] = await attempts.claimMany([{ id, traceparent: activeTraceparent() }], leaseMs);
      return task;
    },

    /** Extends the lease of a running attempt; false when the attempt no longer owns the task. */
    async heartbeat(id: string, attempt: number, leaseMs: number): Promise<boolean> {
      const rows = await db.query(
        `UPDATE tasks SET lease_until = now() + make_interval(secs => $3::float8 / 1000)
         WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING id`,
        [id, attempt, leaseMs],
        'task_heartbeat',
      );
      return rows.length === 1;
    },

    /**
     * Records successful attempts in one statement; per outcome, in order, whether it was recorded.
     * Fenced by attempt number, so a stale attempt cannot overwrite a newer one.
     */
    async succeedMany(
      outcomes: readonly { id: string; attempt: number; result: unknown; traceparent: string | null }[],
    ): Promise<boolean[]> {
      const rows = await db.query<{ id: string }>(
        `WITH t AS (
           UPDATE tasks SET status = 'succeeded', result = r.result::jsonb, error = NULL, lease_until = NULL,
             finished_at = now(), updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS r(id, attempt, result, traceparent)
           WHERE tasks.id = ANY($1::uuid[]) AND tasks.id = r.id
             AND tasks.status = 'running' AND tasks.attempts = r.attempt
           RETURNING tasks.*, r.traceparent AS change_traceparent
         ), e AS (${taskEventFrom('t', 't.change_traceparent')})
         SELECT t.id FROM t`,
        [
          outcomes.map((o) => o.id),
          outcomes.map((o) => o.attempt),
          outcomes.map((o) => JSON.stringify(o.result ?? null)),
          outcomes.map((o) => o.traceparent),
        ],
        'task_succeed',
      );
      return firstPerId(outcomes, rows, () => true).map(Boolean);
    },

    /** One success: see succeedMany. */
    async succeed(id: string, attempt: number, result: unknown): Promise<boolean> {
      const [ok] = await attempts.succeedMany([{ id, attempt, result, traceparent: activeTraceparent() }]);
      return ok === true;
    },

    async retry(id: string, attempt: number, error: string, delayMs: number): Promise<boolean> {
      const rows = await db.query(
        `WITH t AS (
           UPDATE tasks SET status = 'scheduled', error = $3, lease_until = NULL,
             run_at = now() + make_interval(secs => $4::float8 / 1000), updated_at = now()
           WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING *
         ), e AS (${taskEventFrom('t', '$5')})
         SELECT id FROM t`,
        [id, attempt, error, delayMs, activeTraceparent()],
        'task_retry',
      );
      return rows.length === 1;
    },

    async fail(id: string, attempt: number, error: string): Promise<boolean> {
      const rows = await db.query(
        `WITH t AS (
           UPDATE tasks SET status = 'failed', error = $3, lease_until = NULL, finished_at = now(), updated_at = now()
           WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING *
         ), e AS (${taskEventFrom('t', '$4')})
         SELECT id FROM t`,
        [id, attempt, error, activeTraceparent()],
        'task_fail',
      );
      return rows.length === 1;
    },
  };
  return attempts;
}
