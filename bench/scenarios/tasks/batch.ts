// A batch of echo tasks, tagged by payload.batch. Every figure of the task parts is read back from the
// tasks table, where the API and the workers stamp each step, rather than timed from outside, where the
// bench's own polling would add to it.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Resources } from '../../lib/resources.js';
import type { Post, Submitted } from './submit.js';
import type { WorkerPool } from './workers.js';

/** What every task part works with. */
export type TaskRun = {
  res: Resources;
  db: pg.Client;
  post: Post;
  /** The API process the tasks are submitted to. */
  apiPid: number;
  /** Tags this run's batches apart from any earlier run's. */
  runId: string;
  workers: WorkerPool;
  warn(ws: readonly string[]): void;
};

/** Milliseconds; NaN (null in JSON) when there was nothing to measure. */
export type Dist = { p50: number; p95: number; p99: number; max: number };

export type BatchStats = {
  total: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  /** last finished_at − first created_at */
  spanSec: number;
  /** last created_at − first created_at */
  submitSec: number;
  /** finished_at − created_at */
  e2e: Dist;
  /** started_at − run_at */
  lag: Dist;
};

const BATCH = `payload->>'batch' = $1`;
/** Waiting for a batch gives up when no task of it finished for this long. */
const STALL_MS = 30_000;

async function waitFinished(db: pg.Client, batch: string, expected: number): Promise<void> {
  let last = -1;
  let lastMove = Date.now();
  for (;;) {
    const { rows } = await db.query<{ done: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled'))::int AS done
         FROM tasks WHERE ${BATCH}`,
      [batch],
    );
    const done = rows[0]?.done ?? 0;
    if (done >= expected) return;
    if (done !== last) {
      last = done;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > STALL_MS) {
      return; // reported as unfinished by batchStats
    }
    await sleep(200);
  }
}

const toDist = (ps: number[] | null, max: number | null): Dist => ({
  p50: ps?.[0] ?? Number.NaN,
  p95: ps?.[1] ?? Number.NaN,
  p99: ps?.[2] ?? Number.NaN,
  max: max ?? Number.NaN,
});

type StatsRow = {
  total: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  span_sec: number | null;
  submit_sec: number | null;
  e2e: number[] | null;
  e2e_max: number | null;
  lag: number[] | null;
  lag_max: number | null;
};

/** Nearest-rank percentiles (percentile_disc), like the HTTP scenarios' latencies. */
async function batchStats(db: pg.Client, batch: string): Promise<BatchStats> {
  const ms = (a: string, b: string) => `extract(epoch FROM ${a} - ${b})::float8 * 1000`;
  const { rows } = await db.query<StatsRow>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status NOT IN ('succeeded', 'failed', 'cancelled'))::int AS unfinished,
            extract(epoch FROM max(finished_at) - min(created_at))::float8 AS span_sec,
            extract(epoch FROM max(created_at) - min(created_at))::float8 AS submit_sec,
            percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ${ms('finished_at', 'created_at')}) AS e2e,
            max(${ms('finished_at', 'created_at')}) AS e2e_max,
            percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ${ms('started_at', 'run_at')}) AS lag,
            max(${ms('started_at', 'run_at')}) AS lag_max
       FROM tasks WHERE ${BATCH}`,
    [batch],
  );
  const r = rows[0];
  if (!r) throw new Error(`no statistics for batch ${batch}`);
  return {
    total: r.total,
    succeeded: r.succeeded,
    failed: r.failed,
    unfinished: r.unfinished,
    spanSec: r.span_sec ?? Number.NaN,
    submitSec: r.submit_sec ?? Number.NaN,
    e2e: toDist(r.e2e, r.e2e_max),
    lag: toDist(r.lag, r.lag_max),
  };
}

/** Submits the batch with `submit`, waits until what was accepted has finished, and reads it back. */
export async function runBatch<S extends Submitted>(
  run: TaskRun,
  batch: string,
  submit: (post: Post) => Promise<S>,
): Promise<{ submit: S; stats: BatchStats }> {
  const submitted = await submit(run.post);
  await waitFinished(run.db, batch, submitted.accepted);
  return { submit: submitted, stats: await batchStats(run.db, batch) };
}

/** Warnings for a batch: rejected submissions, and tasks that did not all succeed. */
export function problems(label: string, submit: Submitted, stats: BatchStats): string[] {
  const out: string[] = [];
  if (submit.rejected > 0)
    out.push(`${label}: ${submit.rejected} of ${submit.offered} submissions rejected (${submit.firstError})`);
  if (stats.succeeded !== submit.offered) {
    out.push(
      `${label}: ${stats.succeeded} of ${submit.offered} tasks succeeded ` +
        `(${stats.failed} failed, ${stats.unfinished} unfinished after waiting, ${stats.total} stored)`,
    );
  }
  return out;
}

/** `n` per second; for submissions n = tasks − 1, the intervals between the first and the last. */
export const perSec = (n: number, sec: number) => (sec > 0 ? n / sec : Number.NaN);
