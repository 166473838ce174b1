import type { Task } from '../api/schemas/task.js';
import type { Queryable } from '../db/database.js';
import { taskEventFrom } from '../events/task-events.js';
import { coalesce } from '../lib/coalesce.js';
import type { Cursor } from '../lib/cursor.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import type { Seal } from './idempotency.js';
import { pruneBatch } from './prune.js';

export type { Task };

type TaskRow = Omit<Task, 'run_at' | 'created_at' | 'updated_at' | 'started_at' | 'finished_at'> & {
  run_at: Date;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const COLUMNS =
  'id, type, status, payload, result, error, attempts, max_attempts, run_at, created_at, updated_at, started_at, finished_at';

/** The wire columns, read from the CTE `t` of a statement that also writes the task's event. */
const COLUMNS_OF_T = COLUMNS.split(', ')
  .map((c) => `t.${c}`)
  .join(', ');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function toTask(r: TaskRow): Task {
  return {
    ...r,
    run_at: r.run_at.toISOString(),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}

/** A task handed out: what its message carries, and the context its submitter left with it. */
export type DueTask = { id: string; type: string; traceparent: string | null; created_at: Date };

/** NOTIFY channel telling schedulers that a task became due. */
export const DUE_CHANNEL = 'tasks_due';

/**
 * SQL joining a NOTIFY (delivered on commit) that wakes the schedulers when the CTE `inserted` holds a
 * task due within a second; later ones are found by their poll. The statements that insert a task
 * as a side effect of another change (a profile's or an image's) end with it; submissions wake the
 * schedulers after their commit instead (see createTaskRepository).
 */
export const notifyIfDue = (inserted: string) =>
  `LEFT JOIN LATERAL (
     SELECT pg_notify('${DUE_CHANNEL}', '') FROM ${inserted} WHERE ${inserted}.run_at <= now() + interval '1 second' LIMIT 1
   ) n ON true`;

type NewTask = {
  id: string;
  type: string;
  payload: unknown;
  maxAttempts: number;
  runAt: Date;
  now: Date;
  submittedBy: string | null;
};

/**
 * Inserts tasks, each with its `task.scheduled` event, in one statement; the tasks in order.
 * `traceparent` is the submitter's context, kept with the task and its event.
 */
async function insertTasks(
  q: Queryable,
  tasks: readonly (NewTask & { traceparent: string | null })[],
): Promise<Task[]> {
  const rows = await q.query<TaskRow>(
    `WITH t AS (
       INSERT INTO tasks (id, type, status, payload, max_attempts, run_at, created_at, updated_at, submitted_by, traceparent)
       SELECT r.id, r.type, 'scheduled', r.payload::jsonb, r.max_attempts, r.run_at, r.created_at, r.created_at,
         r.submitted_by, r.traceparent
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[])
         AS r(id, type, payload, max_attempts, run_at, created_at, submitted_by, traceparent)
       RETURNING *
     ), e AS (${taskEventFrom('t', 't.traceparent')})
     SELECT ${COLUMNS_OF_T} FROM t`,
    [
      tasks.map((t) => t.id),
      tasks.map((t) => t.type),
      tasks.map((t) => JSON.stringify(t.payload)),
      tasks.map((t) => t.maxAttempts),
      tasks.map((t) => t.runAt.toISOString()),
      tasks.map((t) => t.now.toISOString()),
      tasks.map((t) => t.submittedBy),
      tasks.map((t) => t.traceparent),
    ],
    'task_insert',
  );
  return firstPerId(tasks, rows, toTask).map((task) => {
    if (!task) throw new Error('a submitted task was not inserted');
    return task;
  });
}

/**
 * A batch statement's rows matched back to its requests: each row goes to the first request for its
 * id, in order; the other requests get undefined.
 */
function firstPerId<R extends { id: string }, T>(
  requests: readonly { id: string }[],
  rows: R[],
  map: (row: R) => T,
): (T | undefined)[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return requests.map((req) => {
    const id = req.id.toLowerCase();
    const row = byId.get(id);
    if (!row) return undefined;
    byId.delete(id);
    return map(row);
  });
}

export function createTaskRepository(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
) {
  // Submissions wake the schedulers after they commit, with one NOTIFY for all that commit while
  // one is being sent, rather than a NOTIFY inside each insert: PostgreSQL serialises the commits of
  // notifying transactions, which made each insert cost several times its own work and capped the
  // rate of submissions. A wake lost to a crash just after the commit leaves the task to the
  // schedulers' poll.
  const wakeSchedulers = coalesce(async (calls: unknown[]) => {
    await db.query(`SELECT pg_notify('${DUE_CHANNEL}', '')`, [], 'task_wake');
    return calls.map(() => undefined);
  });
  const submitted = (task: Task): Task => {
    if (Date.parse(task.run_at) <= Date.now() + 1000) wakeSchedulers(undefined).catch(() => {});
    return task;
  };

  // Submissions that arrive while one is being inserted go in together: one statement and one
  // commit for all, still one INSERT per task.
  const insertBatch = coalesce((tasks: (NewTask & { traceparent: string | null })[]) =>
    insertTasks(db, tasks),
  );

  const repo = {
    async insert(t: NewTask, seal?: Seal<Task>): Promise<Task> {
      const traced = { ...t, traceparent: activeTraceparent() };
      if (seal) {
        // Under an Idempotency-Key the answer commits with the task, or neither does.
        return submitted(
          await db.transaction(async (tx) => {
            const [task] = await insertTasks(tx, [traced]);
            await seal(tx, task as Task);
            return task as Task;
          }),
        );
      }
      return submitted(await insertBatch(traced));
    },

    /** Queue depth as the table sees it: due but not yet handed out, handed out, running. */
    async depth(): Promise<{ due: number; queued: number; running: number }> {
      const rows = await db.query<{ due: number; queued: number; running: number }>(
        `SELECT count(*) FILTER (WHERE status = 'scheduled' AND run_at <= now())::int AS due,
                count(*) FILTER (WHERE status = 'queued')::int AS queued,
                count(*) FILTER (WHERE status = 'running')::int AS running
         FROM tasks WHERE status IN ('scheduled', 'queued', 'running')`,
        [],
        'task_depth',
      );
      return rows[0] ?? { due: 0, queued: 0, running: 0 };
    },

    /** A task, if `submitter` submitted it (null: anyone's, for an admin). */
    async findById(id: string, submitter: string | null = null): Promise<Task | undefined> {
      const rows = await db.query<TaskRow>(
        `SELECT ${COLUMNS} FROM tasks WHERE id = $1 AND ($2::text IS NULL OR submitted_by = $2::text)`,
        [id, submitter],
        'task_by_id',
      );
      return rows[0] && toTask(rows[0]);
    },

    /**
     * Cancels a task that has not started, if `submitter` submitted it (null: anyone's); returns it,
     * or undefined when it is running, finished or not the submitter's.
     */
    async cancel(id: string, now: Date, submitter: string | null = null): Promise<Task | undefined> {
      const rows = await db.query<TaskRow>(
        `WITH t AS (
           UPDATE tasks SET status = 'cancelled', updated_at = $2, finished_at = $2, lease_until = NULL
           WHERE id = $1 AND status IN ('scheduled', 'queued') AND ($3::text IS NULL OR submitted_by = $3::text)
           RETURNING *
         ), e AS (${taskEventFrom('t', '$4')})
         SELECT ${COLUMNS_OF_T} FROM t`,
        [id, now, submitter, activeTraceparent()],
        'task_cancel',
      );
      return rows[0] && toTask(rows[0]);
    },

    /** Newest first, keyset on (created_at, id): `submitter`'s tasks, or everyone's when null. */
    async list(opts: {
      submitter: string | null;
      limit: number;
      after?: Cursor | undefined;
      status?: string | undefined;
      type?: string | undefined;
    }): Promise<Task[]> {
      const params: unknown[] = [opts.submitter, opts.status ?? null, opts.type ?? null];
      let keyset = '';
      if (opts.after) {
        params.push(opts.after.createdAt, opts.after.id);
        keyset = `AND (created_at, id) < ($4, $5::uuid)`;
      }
      params.push(opts.limit);
      return (
        await db.query<TaskRow>(
          `SELECT ${COLUMNS} FROM tasks
           WHERE ($1::text IS NULL OR submitted_by = $1::text) AND ($2::text IS NULL OR status = $2::text)
             AND ($3::text IS NULL OR type = $3::text) ${keyset}
           ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
          params,
          opts.after ? 'task_list_after' : 'task_list',
        )
      ).map(toTask);
    },

    /** Deletes up to `limit` tasks finished before `before`; how many went. */
    async pruneFinished(before: Date, limit: number): Promise<number> {
      return pruneBatch(
        db,
        'task_prune',
        `DELETE FROM tasks WHERE id IN (
           SELECT id FROM tasks WHERE finished_at < $1 AND status IN ('succeeded', 'failed', 'cancelled')
           LIMIT $2
         )`,
        before,
        limit,
      );
    },

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
      const [task] = await repo.claimMany([{ id, traceparent: activeTraceparent() }], leaseMs);
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
      const [ok] = await repo.succeedMany([{ id, attempt, result, traceparent: activeTraceparent() }]);
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
  return repo;
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
