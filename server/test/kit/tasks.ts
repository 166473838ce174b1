import assert from 'node:assert/strict';
import type { Queryable } from '../../src/db/database.js';
import type { Task } from '../../src/repository/tasks.js';
import type { TestApp } from './app.js';
import { eventually } from './eventually.js';

export type TaskRow = { id: string; status: string; attempts: number };
const FINAL = ['succeeded', 'failed', 'cancelled'];

/** POST /api/v1/tasks/delayed, asserting the 202. */
export async function submitTask(t: Pick<TestApp, 'app'>, body: Record<string, unknown>): Promise<Task> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tasks/delayed', payload: body });
  assert.equal(res.statusCode, 202, res.body);
  return res.json() as Task;
}

/** Status and attempts of each task, straight from the table. */
export const taskRows = (db: Queryable, ids: string[]) =>
  db.query<TaskRow>('SELECT id, status, attempts FROM tasks WHERE id = ANY($1::uuid[])', [ids]);

/** The rows of `ids` once every one is final; a timeout names a few that were not. */
export function allFinished(db: Queryable, ids: string[], timeoutMs = 120_000): Promise<TaskRow[]> {
  return eventually(
    `all ${ids.length} tasks are final`,
    async () => {
      const rows = await taskRows(db, ids);
      const open = rows.filter((r) => !FINAL.includes(r.status));
      if (open.length) throw new Error(`not final yet: ${JSON.stringify(open.slice(0, 5))}`);
      return rows;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** The row of task `id` once it has `status`. */
export function taskBecomes(db: Queryable, id: string, status: string, timeoutMs = 60_000): Promise<TaskRow> {
  return eventually(`task ${id} is ${status}`, async () => (await taskRows(db, [id]))[0], {
    until: (row) => row?.status === status,
    timeoutMs,
  }) as Promise<TaskRow>;
}
