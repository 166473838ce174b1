import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Task } from '../../../src/repository/tasks.js';
import { insertAlwaysFails } from '../../kit/task-types.js';
import type { TasksHarness } from './harness.js';

export function workerTests(h: TasksHarness) {
  const { t, transport, submit, read, cancel, finished, startWorker, useWorker } = h;
  describe('worker', () => {
    useWorker();

    it('runs echo and sleep to success with their results', async () => {
      const echo = (await submit({ type: 'echo', payload: { hello: 'world', n: 1 } })).json() as Task;
      const nap = (await submit({ type: 'sleep', payload: { seconds: 0.2 } })).json() as Task;
      const e = await finished(echo.id);
      assert.deepEqual([e.status, e.result, e.attempts], ['succeeded', { hello: 'world', n: 1 }, 1]);
      assert.ok(e.started_at && e.finished_at);
      const s = await finished(nap.id);
      assert.deepEqual([s.status, s.result], ['succeeded', { slept_seconds: 0.2 }]);
    });

    it('starts a delayed task only once it is due', async () => {
      const task = (await submit({ type: 'echo', delay: 1 })).json() as Task;
      await sleep(500);
      assert.equal((await read(task.id)).status, 'scheduled');
      const done = await finished(task.id);
      assert.equal(done.status, 'succeeded');
      assert.ok(Date.parse(done.started_at as string) >= Date.parse(task.run_at));
    });

    it('a cancelled task never runs', async () => {
      const task = (await submit({ type: 'echo', delay: 0.5 })).json() as Task;
      await cancel(task.id);
      await sleep(900);
      const after = await read(task.id);
      assert.deepEqual([after.status, after.attempts, after.started_at], ['cancelled', 0, null]);
    });

    it('retries a failing handler with backoff, then fails it with the last error and dead-letters it', async () => {
      const task = await insertAlwaysFails(t.container.taskRepo, '0190a9f0-0000-7000-8000-00000000fa11');
      const done = await finished(task.id);
      assert.deepEqual([done.status, done.attempts], ['failed', 3]);
      assert.equal(done.error, 'boom: this handler always fails');
      assert.ok(transport.deadLettered.some((m) => m.id === task.id));
    });

    it('a task whose worker died mid-run is handed out again when its lease lapses, and succeeds once', async () => {
      const task = (await submit({ type: 'echo', payload: { rescued: true }, delay: 60 })).json() as Task;
      // A worker that claimed it and died: running, with a lease that lapses in 100 ms.
      await t.container.db.query("UPDATE tasks SET status = 'queued', run_at = now() WHERE id = $1", [
        task.id,
      ]);
      const claimed = await t.container.taskRepo.claim(task.id, 100);
      assert.equal(claimed?.status, 'running');
      const done = await finished(task.id);
      assert.deepEqual([done.status, done.attempts, done.result], ['succeeded', 2, { rescued: true }]);
      assert.equal(
        await t.container.taskRepo.succeed(task.id, 1, { stale: true }),
        false,
        'the dead attempt cannot overwrite',
      );
    });

    it('claims and successes recorded together are fenced each on its own', async () => {
      const repo = t.container.taskRepo;
      const [a, b, c] = await Promise.all(
        [1, 2, 3].map(
          async (i) => (await submit({ type: 'echo', payload: { i }, delay: 60 })).json() as Task,
        ),
      );
      const ids = [a, b, c].map((x) => (x as Task).id) as [string, string, string];
      // a and b handed out; c still scheduled, which no claim may take.
      await t.container.db.query("UPDATE tasks SET status = 'queued' WHERE id = ANY($1::uuid[])", [
        ids.slice(0, 2),
      ]);
      const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const claimed = await repo.claimMany(
        [
          { id: ids[0], traceparent: tp },
          { id: ids[0], traceparent: null },
          { id: ids[1].toUpperCase(), traceparent: null },
          { id: ids[2], traceparent: null },
        ],
        30_000,
      );
      assert.deepEqual(
        claimed.map((x) => x?.status),
        ['running', undefined, 'running', undefined],
        'one claim per task; a duplicate in the batch and an unclaimable task get none',
      );
      const recorded = await repo.succeedMany([
        { id: ids[0], attempt: 1, result: { done: 'a' }, traceparent: null },
        { id: ids[1], attempt: 2, result: { stale: true }, traceparent: null },
      ]);
      assert.deepEqual(recorded, [true, false], 'the attempt that does not own b records nothing');
      const [ra, rb, rc] = await Promise.all(ids.map(read));
      assert.deepEqual([ra?.status, ra?.result], ['succeeded', { done: 'a' }]);
      assert.deepEqual([rb?.status, rb?.result], ['running', null]);
      assert.equal(rc?.status, 'scheduled');
      const events = await t.container.db.query<{ routing_key: string; traceparent: string | null }>(
        `SELECT routing_key, traceparent FROM outbox_events WHERE payload->>'id' = $1 ORDER BY id`,
        [ids[0]],
      );
      assert.deepEqual(
        events.map((e) => e.routing_key),
        ['task.scheduled', 'task.running', 'task.succeeded'],
      );
      assert.equal(events[1]?.traceparent, tp, "the claim's event carries the attempt's context");
      await t.container.db.query("UPDATE tasks SET status = 'cancelled' WHERE id = $1", [ids[1]]);
    });

    it('a message that names no task is dead-lettered, and the tasks beside it still run', async () => {
      const bogus = { id: 'not-a-task', type: 'echo' };
      await transport.publish(bogus);
      const task = (await submit({ type: 'echo', payload: { beside: true } })).json() as Task;
      assert.equal((await finished(task.id)).status, 'succeeded');
      assert.ok(transport.deadLettered.some((m) => m.id === bogus.id));
    });

    it('two workers, 200 echo tasks: each succeeds exactly once', async (ctx) => {
      const second = await startWorker();
      ctx.after(() => second.stop());
      const ids: string[] = [];
      for (let i = 0; i < 200; i++)
        ids.push(((await submit({ type: 'echo', payload: { i } })).json() as Task).id);
      const results = await Promise.all(ids.map((id) => finished(id, 120_000)));
      assert.ok(
        results.every((r) => r.status === 'succeeded' && r.attempts === 1),
        'one attempt each',
      );
      assert.deepEqual(
        results.map((r) => (r.result as { i: number }).i),
        ids.map((_, i) => i),
      );
    });
  });
}
