// Personal data is not kept for ever: an export is unreadable once EXPORT_TTL has passed and is then
// deleted, and finished tasks go after TASK_RETENTION (their exports with them), while what is
// younger, or not finished, stays.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRetention } from '../../../src/worker/retention.js';
import { testApp } from '../../kit/app.js';
import { openTestPglite } from '../../kit/services.js';

const DAY = 86_400_000;

describe('retention of exports and finished tasks', () => {
  it('expires exports after EXPORT_TTL and prunes finished tasks after TASK_RETENTION', async (ctx) => {
    const t = await testApp(ctx, {
      testDatabase: openTestPglite,
      env: { EXPORT_TTL: '7d', TASK_RETENTION: '30d' },
    });
    const db = t.container.db;
    const ids = {
      oldDone: '0190a9f0-0000-7000-8000-0000000000a1',
      freshDone: '0190a9f0-0000-7000-8000-0000000000a2',
      oldPending: '0190a9f0-0000-7000-8000-0000000000a3',
    };
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    for (const [id, status, finishedDaysAgo] of [
      [ids.oldDone, 'succeeded', 40],
      [ids.freshDone, 'succeeded', 8],
      [ids.oldPending, 'scheduled', null],
    ] as const) {
      await db.query(
        `INSERT INTO tasks (id, type, status, payload, max_attempts, run_at, created_at, updated_at, finished_at, submitted_by)
         VALUES ($1, 'profile.export', $2, '{}', 5, $3, $3, $3, $4, 'someone')`,
        [id, status, at(41), finishedDaysAgo === null ? null : at(finishedDaysAgo)],
        `test_task_${id}`,
      );
    }
    await t.container.exportRepo.save(ids.freshDone, ids.freshDone, { a: 1 });
    await db.query(
      'UPDATE exports SET created_at = $2 WHERE id = $1',
      [ids.freshDone, at(8)],
      'test_age_export',
    );

    // Past its TTL an export is gone for everyone, before any pruning ran.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/exports/${ids.freshDone}` });
    assert.equal(read.statusCode, 404, read.body);

    const retention = createRetention({
      tasks: t.container.taskRepo,
      exports: t.container.exportRepo,
      exportTtlMs: 7 * DAY,
      taskRetentionMs: 30 * DAY,
      intervalMs: 60_000,
      logger: { info: () => {}, warn: () => {} },
    });
    assert.deepEqual(await retention.pass(), { exports: 1, tasks: 1, events: 0, keys: 0 });
    const left = await db.query<{ id: string }>('SELECT id FROM tasks ORDER BY id', [], 'test_left');
    assert.deepEqual(
      left.map((r) => r.id),
      [ids.freshDone, ids.oldPending],
    );
    assert.deepEqual(
      await retention.pass(),
      { exports: 0, tasks: 0, events: 0, keys: 0 },
      'a second pass finds nothing',
    );
  });
});
