import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { composeWorker } from '../../src/compose.js';
import { createMemoryTransport } from '../../src/queue/memory-transport.js';
import { startTestApp, testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { openTestPglite, openTestPostgres, postgresUnavailable } from '../kit/services.js';
import { teardown } from '../kit/teardown.js';
import { taskSuite } from './tasks.suite.js';

const skip = await postgresUnavailable();
describe('real PostgreSQL', { skip }, () => {
  taskSuite('PostgreSQL', (observe) => openTestPostgres('tasks', observe, 8));
});

taskSuite('embedded PGlite', openTestPglite);

describe('embedded mode across a restart', () => {
  it('a task scheduled before a restart runs after it', async (ctx) => {
    const stack = teardown(ctx);
    const dataDir = await mkdtemp(join(tmpdir(), 'tasks-restart-'));
    stack.after(() => rm(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, TASK_POLL_INTERVAL: '50ms' };
    const first = await startTestApp({ env });
    const submitted = await first.app.inject({
      method: 'POST',
      url: '/api/v1/tasks/delayed',
      payload: { type: 'echo', payload: { survived: true }, delay: 1 },
    });
    const id = (submitted.json() as { id: string }).id;
    await first.close(); // no worker ran: the task is only in the table

    const second = await testApp(stack, { env });
    const worker = composeWorker(second.container, createMemoryTransport());
    await worker.start();
    stack.after(() => worker.stop());
    const task = await eventually(
      'the task scheduled before the restart succeeded',
      async () =>
        (await second.app.inject({ method: 'GET', url: `/api/v1/tasks/${id}` })).json() as {
          status: string;
          result: unknown;
        },
      { until: (task) => task.status === 'succeeded' },
    );
    assert.deepEqual(task.result, { survived: true });
  });
});
