import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeWorker } from '../../src/compose.js';
import type { Database, QueryObserver } from '../../src/db/database.js';
import { createMemoryTransport } from '../../src/queue/memory-transport.js';
import type { Task } from '../../src/repository/tasks.js';
import type { TaskType } from '../../src/tasks/task-type.js';
import type { Worker } from '../../src/worker/runner.js';
import { startTestApp, type TestApp, uniqueEmail } from '../kit/app.js';
import { alwaysFails } from '../kit/task-types.js';

const BASE = '/api/v1/tasks';

export function taskSuite(
  engine: string,
  openDb: (observe: QueryObserver) => Promise<{ db: Database; cleanup(): Promise<void> }>,
) {
  describe(`tasks on ${engine}`, () => {
    let t: TestApp;
    let cleanup: () => Promise<void>;
    const workers: Worker[] = [];
    const transport = createMemoryTransport();

    before(async () => {
      t = await startTestApp({
        env: { TASK_POLL_INTERVAL: '50ms', TASK_LEASE: '2s', CACHE_MAX_ENTRIES: '10' },
        openDatabase: async (observe) => {
          const opened = await openDb(observe);
          cleanup = opened.cleanup;
          return opened.db;
        },
      });
      (t.container.taskTypes as Map<string, TaskType>).set(alwaysFails.name, alwaysFails);
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await t?.close();
      await cleanup?.();
    });

    const startWorker = async () => {
      const w = composeWorker(t.container, transport);
      workers.push(w);
      await w.start();
      return w;
    };
    const submit = (body?: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `${BASE}/delayed`,
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    const read = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `${BASE}/${id}` })).json() as Task;
    const until = async (id: string, done: (task: Task) => boolean, ms = 15_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const task = await read(id);
        if (done(task)) return task;
        if (Date.now() > deadline) throw new Error(`task ${id} stuck: ${JSON.stringify(task)}`);
        await sleep(25);
      }
    };
    const finished = (task: Task) => ['succeeded', 'failed', 'cancelled'].includes(task.status);

    describe('API', () => {
      it('202 with Location for a task; an empty body is the demo sleep of 10 seconds', async () => {
        const res = await submit();
        assert.equal(res.statusCode, 202, res.body);
        const task = res.json() as Task;
        assert.equal(res.headers.location, `${BASE}/${task.id}`);
        assert.deepEqual(
          [task.type, task.status, task.payload, task.attempts, task.max_attempts],
          ['sleep', 'scheduled', { seconds: 10 }, 0, 5],
        );
        assert.ok(Math.abs(Date.parse(task.run_at) - Date.now()) < 5_000);
        assert.deepEqual(await read(task.id), task);
        await t.app.inject({ method: 'DELETE', url: `${BASE}/${task.id}` });
      });

      it('takes a delay in seconds or as a duration, up to 7 days', async () => {
        const inFive = (await submit({ type: 'echo', delay: '5m' })).json() as Task;
        assert.ok(Math.abs(Date.parse(inFive.run_at) - Date.parse(inFive.created_at) - 300_000) < 1000);
        const inTen = (await submit({ type: 'echo', delay: 10 })).json() as Task;
        assert.ok(Math.abs(Date.parse(inTen.run_at) - Date.parse(inTen.created_at) - 10_000) < 1000);
        for (const id of [inFive.id, inTen.id])
          await t.app.inject({ method: 'DELETE', url: `${BASE}/${id}` });
      });

      const bad: [string, unknown, string][] = [
        ['an unknown type, listing the known ones', { type: 'mine.bitcoin' }, 'type'],
        ['a payload the type refuses', { type: 'sleep', payload: { seconds: 'ten' } }, 'payload.seconds'],
        [
          'an unknown payload field',
          { type: 'sleep', payload: { seconds: 1, extra: true } },
          'payload.extra',
        ],
        ['a purge without its profile', { type: 'profile.purge', payload: {} }, 'payload.profile_id'],
        ['a negative delay', { type: 'echo', delay: -1 }, 'delay'],
        ['a delay over 7 days', { type: 'echo', delay: '8d' }, 'delay'],
        ['a delay that is no duration', { type: 'echo', delay: 'soon' }, 'delay'],
        ['an unknown body field', { type: 'echo', priority: 1 }, 'priority'],
      ];
      for (const [what, body, field] of bad) {
        it(`400 for ${what}`, async () => {
          const res = await submit(body);
          assert.equal(res.statusCode, 400, res.body);
          const problem = res.json() as { code: string; detail: string; errors: { field: string }[] };
          assert.equal(problem.code, 'validation_failed');
          assert.ok(
            problem.errors.some((e) => e.field === field),
            JSON.stringify(problem.errors),
          );
          if (field === 'type')
            assert.match(problem.detail, /sleep, echo, profile\.export, profile\.purge, cache\.warm/);
        });
      }

      it('404 for an unknown or malformed id; cancel answers 200, then 409 once it is final', async () => {
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `${BASE}/0190a9f0-0000-7000-8000-000000000000` }))
            .statusCode,
          404,
        );
        assert.equal((await t.app.inject({ method: 'GET', url: `${BASE}/nope` })).statusCode, 404);
        assert.equal((await t.app.inject({ method: 'DELETE', url: `${BASE}/nope` })).statusCode, 404);
        const task = (await submit({ type: 'echo', delay: 60 })).json() as Task;
        const cancelled = await t.app.inject({ method: 'DELETE', url: `${BASE}/${task.id}` });
        assert.equal(cancelled.statusCode, 200);
        assert.equal((cancelled.json() as Task).status, 'cancelled');
        const again = await t.app.inject({ method: 'DELETE', url: `${BASE}/${task.id}` });
        assert.equal(again.statusCode, 409);
        assert.equal((again.json() as { code: string }).code, 'conflict');
      });
    });

    describe('worker', () => {
      before(async () => {
        await startWorker();
      });

      it('runs echo and sleep to success with their results', async () => {
        const echo = (await submit({ type: 'echo', payload: { hello: 'world', n: 1 } })).json() as Task;
        const nap = (await submit({ type: 'sleep', payload: { seconds: 0.2 } })).json() as Task;
        const e = await until(echo.id, finished);
        assert.deepEqual([e.status, e.result, e.attempts], ['succeeded', { hello: 'world', n: 1 }, 1]);
        assert.ok(e.started_at && e.finished_at);
        const s = await until(nap.id, finished);
        assert.deepEqual([s.status, s.result], ['succeeded', { slept_seconds: 0.2 }]);
      });

      it('starts a delayed task only once it is due', async () => {
        const task = (await submit({ type: 'echo', delay: 1 })).json() as Task;
        await sleep(500);
        assert.equal((await read(task.id)).status, 'scheduled');
        const done = await until(task.id, finished);
        assert.equal(done.status, 'succeeded');
        assert.ok(Date.parse(done.started_at as string) >= Date.parse(task.run_at));
      });

      it('a cancelled task never runs', async () => {
        const task = (await submit({ type: 'echo', delay: 0.5 })).json() as Task;
        await t.app.inject({ method: 'DELETE', url: `${BASE}/${task.id}` });
        await sleep(900);
        const after = await read(task.id);
        assert.deepEqual([after.status, after.attempts, after.started_at], ['cancelled', 0, null]);
      });

      it('retries a failing handler with backoff, then fails it with the last error and dead-letters it', async () => {
        const task = await t.container.taskRepo.insert({
          id: '0190a9f0-0000-7000-8000-00000000fa11',
          type: alwaysFails.name,
          payload: {},
          maxAttempts: 3,
          runAt: new Date(),
          now: new Date(),
        });
        const done = await until(task.id, finished);
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
        const done = await until(task.id, finished);
        assert.deepEqual([done.status, done.attempts, done.result], ['succeeded', 2, { rescued: true }]);
        assert.equal(
          await t.container.taskRepo.succeed(task.id, 1, { stale: true }),
          false,
          'the dead attempt cannot overwrite',
        );
      });

      it('two workers, 200 echo tasks: each succeeds exactly once', async () => {
        await startWorker();
        const ids: string[] = [];
        for (let i = 0; i < 200; i++)
          ids.push(((await submit({ type: 'echo', payload: { i } })).json() as Task).id);
        const results = await Promise.all(ids.map((id) => until(id, finished, 30_000)));
        assert.ok(
          results.every((r) => r.status === 'succeeded' && r.attempts === 1),
          'one attempt each',
        );
        assert.deepEqual(
          results.map((r) => (r.result as { i: number }).i),
          ids.map((_, i) => i),
        );
      });

      it('profile events (created, updated, deleted) go out through the outbox with id, version and time', async () => {
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/profiles',
          payload: { name: 'Evented', email: uniqueEmail('ev') },
        });
        const id = (created.json() as { id: string }).id;
        await t.app.inject({ method: 'PATCH', url: `/api/v1/profiles/${id}`, payload: { bio: 'changed' } });
        await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${id}` });
        const mine = () => transport.events.filter((e) => (e.payload as { id: string }).id === id);
        for (let i = 0; i < 100 && mine().length < 3; i++) await sleep(25);
        assert.deepEqual(
          mine().map((e) => [e.routingKey, (e.payload as { version: number }).version]),
          [
            ['profile.created', 1],
            ['profile.updated', 2],
            ['profile.deleted', 2],
          ],
        );
        assert.ok(mine().every((e) => !Number.isNaN(Date.parse((e.payload as { time: string }).time))));
        const left = await t.container.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox_events',
        );
        assert.equal(left[0]?.n, 0, 'relayed events leave the outbox');
      });

      it('profile.export stores a JSON export served at the URL in its result; a missing profile fails at once', async () => {
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/profiles',
          payload: { name: 'Exported', email: uniqueEmail('export') },
        });
        const profile = created.json() as { id: string; name: string };
        const task = (
          await submit({ type: 'profile.export', payload: { profile_id: profile.id } })
        ).json() as Task;
        const done = await until(task.id, finished);
        assert.equal(done.status, 'succeeded', JSON.stringify(done));
        const { url, bytes } = done.result as { url: string; bytes: number };
        assert.equal(url, `/api/v1/exports/${task.id}`);
        assert.ok(bytes > 0);
        const download = await t.app.inject({ method: 'GET', url });
        assert.equal(download.statusCode, 200);
        const content = download.json() as {
          format: string;
          profile: { id: string; name: string };
          images: string[];
        };
        assert.deepEqual(
          [content.format, content.profile.id, content.profile.name],
          ['profile-export/v1', profile.id, 'Exported'],
        );
        assert.deepEqual(content.images, []);
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/exports/nope' })).statusCode, 404);
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `/api/v1/exports/${profile.id}` })).statusCode,
          404,
        );

        const missing = (
          await submit({
            type: 'profile.export',
            payload: { profile_id: '0190a9f0-0000-7000-8000-000000000404' },
          })
        ).json() as Task;
        const failed = await until(missing.id, finished);
        assert.deepEqual(
          [failed.status, failed.attempts],
          ['failed', 1],
          'no retry can mend a missing profile',
        );
        assert.match(String(failed.error), /does not exist/);
      });

      it('profile.purge deletes the profile (and is harmless when it is already gone); cache.warm fills the cache', async () => {
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/profiles',
          payload: { name: 'Doomed', email: uniqueEmail('purge') },
        });
        const profileId = (created.json() as { id: string }).id;
        const purge = (
          await submit({ type: 'profile.purge', payload: { profile_id: profileId } })
        ).json() as Task;
        assert.deepEqual((await until(purge.id, finished)).result, { purged: true });
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}` })).statusCode,
          404,
        );
        const twice = (
          await submit({ type: 'profile.purge', payload: { profile_id: profileId } })
        ).json() as Task;
        assert.deepEqual((await until(twice.id, finished)).result, { purged: false, reason: 'not_found' });

        const warm = (await submit({ type: 'cache.warm', payload: { limit: 5 } })).json() as Task;
        const warmed = await until(warm.id, finished);
        assert.equal(warmed.status, 'succeeded');
        assert.ok((warmed.result as { warmed: number }).warmed <= 5);
      });
    });
  });
}
