import type { Queryable } from '../db/database.js';
import { taskEventFrom } from '../events/task-events.js';
import { coalesce } from '../lib/coalesce.js';
import type { Cursor } from '../lib/cursor.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import type { Seal } from './idempotency.js';
import { pruneBatch } from './prune.js';
import { createTaskAttempts } from './task-attempts.js';
import { COLUMNS, COLUMNS_OF_T, firstPerId, type Task, type TaskRow, toTask } from './task-rows.js';

export type { DueTask } from './task-attempts.js';
export type { Task };

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

/** A new task with the submitter's context, kept with it and its event. */
type TracedTask = NewTask & { traceparent: string | null };

/**
 * Inserts tasks, each with its `task.scheduled` event, in one statement; the tasks in order.
 * `traceparent` is the submitter's context, kept with the task and its event.
 */
async function insertTasks(q: Queryable, tasks: readonly TracedTask[]): Promise<Task[]> {
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
  const insertBatch = coalesce((tasks: TracedTask[]) => insertTasks(db, tasks));

  return {
    ...createTaskAttempts(db),
    async insert(t: NewTask, seal?: Seal<Task>): Promise<Task> {
      const traced: TracedTask = { ...t, traceparent: activeTraceparent() };
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
  };
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
