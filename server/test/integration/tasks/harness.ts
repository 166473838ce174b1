// What every task test file uses: the app on one engine (with a handler that always fails
// registered), workers on an in-memory transport, and the task API as a client calls it.
import { after, before } from 'node:test';
import { composeWorker } from '../../../src/compose.js';
import { createMemoryTransport } from '../../../src/queue/memory-transport.js';
import type { Task } from '../../../src/repository/tasks.js';
import type { TaskType } from '../../../src/tasks/task-type.js';
import type { Worker } from '../../../src/worker/runner.js';
import { suiteApp, type TestDatabaseOpener, uniqueEmail } from '../../kit/app.js';
import { eventually } from '../../kit/eventually.js';
import { alwaysFails } from '../../kit/task-types.js';

export const BASE = '/api/v1/tasks';
const FINAL = ['succeeded', 'failed', 'cancelled'];

export type TasksHarness = ReturnType<typeof tasksHarness>;

export function tasksHarness(database: TestDatabaseOpener) {
  const t = suiteApp(() => ({
    env: { TASK_POLL_INTERVAL: '50ms', TASK_LEASE: '2s', CACHE_MAX_ENTRIES: '10' },
    testDatabase: database,
  }));
  before(() => {
    (t.container.taskTypes as Map<string, TaskType>).set(alwaysFails.name, alwaysFails);
  });
  const transport = createMemoryTransport();
  const startWorker = async (): Promise<Worker> => {
    const w = composeWorker(t.container, transport);
    await w.start();
    return w;
  };
  const read = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `${BASE}/${id}` })).json() as Task;
  return {
    t,
    transport,
    startWorker,
    /** A worker for the enclosing describe's tests, stopped after its last (before the app closes). */
    useWorker() {
      let worker: Worker | undefined;
      before(async () => {
        worker = await startWorker();
      });
      after(() => worker?.stop());
    },
    submit: (body?: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `${BASE}/delayed`,
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      }),
    /** A profile for a task to work on. */
    async createProfile(name: string, tag: string) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name, email: uniqueEmail(tag) },
      });
      return res.json() as { id: string; name: string };
    },
    cancel: (id: string) => t.app.inject({ method: 'DELETE', url: `${BASE}/${id}` }),
    read,
    /** The task once it is final (succeeded, failed or cancelled). */
    finished: (id: string, timeoutMs?: number) =>
      eventually(`task ${id} is final`, () => read(id), {
        until: (task) => FINAL.includes(task.status),
        ...(timeoutMs ? { timeoutMs } : {}),
      }),
  };
}
