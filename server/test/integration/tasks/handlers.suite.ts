import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task } from '../../../src/repository/tasks.js';
import { eventually } from '../../kit/eventually.js';
import type { TasksHarness } from './harness.js';

export function handlerTests(h: TasksHarness) {
  const { t, transport, submit, finished, useWorker, createProfile } = h;
  describe('task handlers and events', () => {
    useWorker();

    it('profile events (created, updated, deleted) go out through the outbox with id, version and time', async () => {
      const created = await createProfile('Evented', 'ev');
      const id = created.id;
      await t.app.inject({ method: 'PATCH', url: `/api/v1/profiles/${id}`, payload: { bio: 'changed' } });
      await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${id}` });
      const mine = () => transport.events.filter((e) => (e.payload as { id: string }).id === id);
      await eventually('three events of the profile were relayed', mine, {
        until: (events) => events.length >= 3,
      });
      assert.deepEqual(
        mine().map((e) => [e.routingKey, (e.payload as { version: number }).version]),
        [
          ['profile.created', 1],
          ['profile.updated', 2],
          ['profile.deleted', 2],
        ],
      );
      assert.ok(mine().every((e) => !Number.isNaN(Date.parse((e.payload as { time: string }).time))));
      const seqs = mine().map((e) => e.seq);
      assert.deepEqual(
        [...seqs].sort((a, b) => a - b),
        seqs,
        'numbered in the order published',
      );
      const pending = await t.container.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL',
      );
      assert.equal(pending[0]?.n, 0, 'every event relayed (and kept, for streams that reconnect)');
    });

    it('profile.export stores a JSON export served at the URL in its result; a missing profile fails at once', async () => {
      const created = await createProfile('Exported', 'export');
      const profile = created;
      const task = (
        await submit({ type: 'profile.export', payload: { profile_id: profile.id } })
      ).json() as Task;
      const done = await finished(task.id);
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
      const failed = await finished(missing.id);
      assert.deepEqual(
        [failed.status, failed.attempts],
        ['failed', 1],
        'no retry can mend a missing profile',
      );
      assert.match(String(failed.error), /does not exist/);
    });

    it('profile.purge deletes the profile (and is harmless when it is already gone); cache.warm fills the cache', async () => {
      const created = await createProfile('Doomed', 'purge');
      const profileId = created.id;
      const purge = (
        await submit({ type: 'profile.purge', payload: { profile_id: profileId } })
      ).json() as Task;
      assert.deepEqual((await finished(purge.id)).result, { purged: true });
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}` })).statusCode,
        404,
      );
      const twice = (
        await submit({ type: 'profile.purge', payload: { profile_id: profileId } })
      ).json() as Task;
      assert.deepEqual((await finished(twice.id)).result, { purged: false, reason: 'not_found' });

      const warm = (await submit({ type: 'cache.warm', payload: { limit: 5 } })).json() as Task;
      const warmed = await finished(warm.id);
      assert.equal(warmed.status, 'succeeded');
      assert.ok((warmed.result as { warmed: number }).warmed <= 5);
    });
  });
}
