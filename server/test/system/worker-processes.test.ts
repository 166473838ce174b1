// Worker processes on real RabbitMQ and PostgreSQL, as production runs them: one SIGKILLed in the
// middle of a task, one sent SIGTERM while busy.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Task } from '../../src/repository/tasks.js';
import { testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { testProcessEnv } from '../kit/identity.js';
import { spawnEntry } from '../kit/process.js';
import { QUEUE_URI, servicesUnavailable, suiteDatabase, suiteNamespaces } from '../kit/services.js';
import { allFinished, submitTask, taskBecomes, taskRows } from '../kit/tasks.js';

const skip = await servicesUnavailable('postgres', 'rabbitmq');

describe('worker processes on real RabbitMQ and PostgreSQL', { skip }, () => {
  const db = suiteDatabase('worker_procs');
  const fresh = suiteNamespaces();
  // The API that takes the tasks runs in this process (closed at the end of each test, before the
  // database is dropped); the workers that run them do not.
  const api = (ctx: TestContext) => testApp(ctx, { env: { DB_URI: db.uri } });
  /** A worker process, killed when the test ends if it is still running. */
  const spawnWorker = async (ctx: TestContext, namespace: string, extra: Record<string, string> = {}) => {
    const w = spawnEntry('worker', {
      ...(await testProcessEnv()),
      DB_URI: db.uri,
      QUEUE_URI,
      QUEUE_NAMESPACE: namespace,
      WORKER_PORT: '0',
      TASK_LEASE: '2s',
      TASK_POLL_INTERVAL: '100ms',
      DB_MIGRATE_ON_START: 'false',
      ...extra,
    });
    let exited = false;
    void w.exit.then(() => {
      exited = true;
    });
    ctx.after(async () => {
      w.proc.kill('SIGKILL');
      await w.exit;
    });
    await eventually('the worker process started', () => /"msg":"worker started"/.test(w.output()), {
      stopIf: () => exited && `it exited:\n${w.output()}`,
    });
    return w;
  };

  it('(b) a worker SIGKILLed mid-sleep: the task still succeeds, once', async (ctx) => {
    const t = await api(ctx);
    const ns = fresh();
    const first = await spawnWorker(ctx, ns);
    const task = await submitTask(t, { type: 'sleep', payload: { seconds: 2 } });
    await taskBecomes(t.container.db, task.id, 'running');
    first.proc.kill('SIGKILL');
    await first.exit;
    await spawnWorker(ctx, ns);
    const done = await taskBecomes(t.container.db, task.id, 'succeeded');
    assert.equal(done.attempts, 2, 'the killed attempt, then one that finished');
    const read = (await t.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}` })).json() as Task;
    assert.deepEqual(read.result, { slept_seconds: 2 });
  });

  it('(d) SIGTERM to a busy worker: the tasks in hand finish, none is lost, exit 0', async (ctx) => {
    const t = await api(ctx);
    const ns = fresh();
    const busy = await spawnWorker(ctx, ns, { WORKER_CONCURRENCY: '4' });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push((await submitTask(t, { type: 'sleep', payload: { seconds: 1 } })).id);
    const running = async () =>
      (await taskRows(t.container.db, ids)).filter((r) => r.status === 'running').map((r) => r.id);
    // Four at once is the worker's limit; fewer is enough to show the point if the machine is slow.
    await eventually('the worker has four tasks in hand', running, {
      until: (r) => r.length >= 4,
      timeoutMs: 5_000,
    }).catch(() => {});
    const inHand = await running();
    assert.ok(inHand.length >= 1, 'at least one task in hand when the signal comes');
    busy.proc.kill('SIGTERM');
    const { code } = await busy.exit;
    assert.equal(code, 0, busy.output());
    const afterStop = await taskRows(t.container.db, inHand);
    assert.ok(
      afterStop.every((r) => r.status === 'succeeded'),
      `in-flight tasks finished: ${JSON.stringify(afterStop)}`,
    );
    await spawnWorker(ctx, ns);
    const done = await allFinished(t.container.db, ids);
    assert.ok(
      done.every((r) => r.status === 'succeeded' && r.attempts === 1),
      JSON.stringify(done),
    );
  });
});
