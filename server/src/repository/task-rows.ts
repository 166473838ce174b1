import type { Task } from '../api/schemas/task.js';

// A task as its table holds it, and as the API shows it: shared by the statements of submission
// and of attempts.

export type { Task };

export type TaskRow = Omit<Task, 'run_at' | 'created_at' | 'updated_at' | 'started_at' | 'finished_at'> & {
  run_at: Date;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

export const COLUMNS =
  'id, type, status, payload, result, error, attempts, max_attempts, run_at, created_at, updated_at, started_at, finished_at';

/** The wire columns, read from the CTE `t` of a statement that also writes the task's event. */
export const COLUMNS_OF_T = COLUMNS.split(', ')
  .map((c) => `t.${c}`)
  .join(', ');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export function toTask(r: TaskRow): Task {
  return {
    ...r,
    run_at: r.run_at.toISOString(),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}

/**
 * A batch statement's rows matched back to its requests: each row goes to the first request for its
 * id, in order; the other requests get undefined.
 */
export function firstPerId<R extends { id: string }, T>(
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
