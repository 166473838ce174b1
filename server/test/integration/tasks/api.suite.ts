import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task } from '../../../src/repository/tasks.js';
import { BASE, type TasksHarness } from './harness.js';

export function apiTests(h: TasksHarness) {
  const { t, submit, read, cancel } = h;
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
      await cancel(task.id);
    });

    it('submissions made at once are each stored once, as sent, each with its own scheduled event', async () => {
      const sent = Array.from({ length: 24 }, (_, i) => ({ type: 'echo', payload: { i }, delay: 60 + i }));
      const answers = await Promise.all(sent.map((body) => submit(body)));
      assert.ok(
        answers.every((r) => r.statusCode === 202),
        answers.map((r) => r.statusCode).join(),
      );
      const tasks = answers.map((r) => r.json() as Task);
      assert.equal(new Set(tasks.map((x) => x.id)).size, sent.length);
      for (const [i, task] of tasks.entries()) {
        assert.deepEqual(task.payload, { i });
        assert.ok(Math.abs(Date.parse(task.run_at) - Date.parse(task.created_at) - (60 + i) * 1000) < 1000);
        assert.deepEqual(await read(task.id), task);
      }
      const events = await t.container.db.query<{ id: string }>(
        `SELECT payload->>'id' AS id FROM outbox_events
         WHERE routing_key = 'task.scheduled' AND payload->>'id' = ANY($1::text[])`,
        [tasks.map((x) => x.id)],
      );
      assert.deepEqual(events.map((e) => e.id).sort(), tasks.map((x) => x.id).sort());
      for (const task of tasks) await cancel(task.id);
    });

    it('takes a delay in seconds or as a duration, up to 7 days', async () => {
      const inFive = (await submit({ type: 'echo', delay: '5m' })).json() as Task;
      assert.ok(Math.abs(Date.parse(inFive.run_at) - Date.parse(inFive.created_at) - 300_000) < 1000);
      const inTen = (await submit({ type: 'echo', delay: 10 })).json() as Task;
      assert.ok(Math.abs(Date.parse(inTen.run_at) - Date.parse(inTen.created_at) - 10_000) < 1000);
      // A unitless string is seconds as well, never milliseconds.
      const inThirty = (await submit({ type: 'echo', delay: '30' })).json() as Task;
      assert.ok(Math.abs(Date.parse(inThirty.run_at) - Date.parse(inThirty.created_at) - 30_000) < 1000);
      const inHalf = (await submit({ type: 'echo', delay: ' 90.5 ' })).json() as Task;
      assert.ok(Math.abs(Date.parse(inHalf.run_at) - Date.parse(inHalf.created_at) - 90_500) < 1000);
      for (const id of [inFive.id, inTen.id, inThirty.id, inHalf.id]) await cancel(id);
    });

    const bad: [string, unknown, string][] = [
      ['an unknown type, listing the known ones', { type: 'mine.bitcoin' }, 'type'],
      ['a payload the type refuses', { type: 'sleep', payload: { seconds: 'ten' } }, 'payload.seconds'],
      ['an unknown payload field', { type: 'sleep', payload: { seconds: 1, extra: true } }, 'payload.extra'],
      ['a purge without its profile', { type: 'profile.purge', payload: {} }, 'payload.profile_id'],
      ['a negative delay', { type: 'echo', delay: -1 }, 'delay'],
      ['a delay over 7 days', { type: 'echo', delay: '8d' }, 'delay'],
      ['a delay that is no duration', { type: 'echo', delay: 'soon' }, 'delay'],
      ['a unitless delay string over 7 days', { type: 'echo', delay: '604801' }, 'delay'],
      ['an unknown body field', { type: 'echo', priority: 1 }, 'priority'],
      ['a NUL character in a payload value', { type: 'echo', payload: { note: 'a\u0000b' } }, 'payload'],
      ['a NUL character in a payload key', { type: 'echo', payload: { 'a\u0000': 1 } }, 'payload'],
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
      const cancelled = await cancel(task.id);
      assert.equal(cancelled.statusCode, 200);
      assert.equal((cancelled.json() as Task).status, 'cancelled');
      const again = await cancel(task.id);
      assert.equal(again.statusCode, 409);
      assert.equal((again.json() as { code: string }).code, 'conflict');
    });
  });
}
