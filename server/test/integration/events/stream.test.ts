// The event stream (GET /api/v1/events) end to end in one process: changes go through the outbox,
// the relay and the in-process transport to a listening server's streams; who gets what, resuming
// with Last-Event-ID, a gap too old, token expiry, heartbeats and limits.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeEventFeed, composeWorker } from '../../../src/compose.js';
import { createMemoryTransport } from '../../../src/queue/memory-transport.js';
import { startTestApp, type TestApp } from '../../kit/app.js';
import { eventually } from '../../kit/eventually.js';
import { bearer, testIssuer } from '../../kit/identity.js';
import { openTestPglite } from '../../kit/services.js';
import { openStream, type Stream } from '../../kit/sse.js';

type Json = Record<string, unknown>;

describe('event stream', { timeout: 120_000 }, () => {
  let t: TestApp;
  let base: string;
  let stopWorker: () => Promise<void>;
  const streams: Stream[] = [];
  const open = async (headers: Record<string, string> = {}, query = '') => {
    const s = await openStream(`${base}/api/v1/events${query}`, headers);
    streams.push(s);
    return s;
  };
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let admin: Record<string, string>;

  before(async () => {
    t = await startTestApp({
      caller: 'as-given',
      testDatabase: openTestPglite,
      env: { SSE_HEARTBEAT: '300ms', SSE_MAX_PER_CALLER: '3', TASK_POLL_INTERVAL: '50ms' },
    });
    const transport = createMemoryTransport();
    const feed = await composeEventFeed(t.container, transport);
    const worker = composeWorker(t.container, transport);
    await worker.start();
    stopWorker = async () => {
      await worker.stop();
      await feed.stop();
    };
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    [alice, bob, admin] = await Promise.all([
      bearer(`alice.sse.${process.pid}@example.com`),
      bearer(`bob.sse.${process.pid}@example.com`),
      bearer('admin@example.com', { admin: true }),
    ]);
  });
  after(async () => {
    for (const s of streams) await s.close();
    await stopWorker?.();
    await t?.close();
  });

  const send = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({
      method: method as 'POST',
      url,
      headers,
      ...(payload ? { payload: payload as Json } : {}),
    });

  it('streams profile changes to everyone with public fields only, numbered, with the stream headers', async () => {
    const anonymous = await open();
    assert.equal(anonymous.status, 200);
    assert.match(String(anonymous.headers.get('content-type')), /^text\/event-stream/);
    assert.equal(anonymous.headers.get('x-accel-buffering'), 'no');
    const email = `alice.sse.${process.pid}@example.com`;
    const created = await send('POST', '/api/v1/profiles', alice, { name: 'Alice Streamed', email });
    const id = (created.json() as { id: string }).id;
    await send('PATCH', `/api/v1/profiles/${id}`, alice, { bio: 'live' });
    const mine = () => anonymous.of('profile.').filter((e) => (e.data as Json).id === id);
    await eventually('both changes streamed', mine, { until: (e) => e.length === 2, timeoutMs: 10_000 });
    const [first, second] = mine() as [
      { event: string; id?: string; data: Json },
      { id?: string; data: Json },
    ];
    assert.equal(first.event, 'profile.created');
    assert.equal(first.data.name, 'Alice Streamed');
    assert.equal(second.data.bio, 'live');
    assert.ok(Number(second.id) > Number(first.id), 'ids grow');
    for (const e of mine()) {
      assert.equal((e.data as Json).email, undefined);
      assert.ok(!JSON.stringify(e.data).includes('@'), 'no email anywhere');
    }
  });

  it('a fresh stream gets a change made while it was starting, however slow the outbox is to read', async () => {
    // The outbox read as slow as a loaded database: a stream starting meanwhile must still send
    // what it heard since it subscribed (it used to start from the newest number read, and skip
    // an event relayed before that read returned).
    const outbox = t.container.outbox as unknown as Record<string, unknown>;
    const originals = Object.entries(outbox).filter(([, f]) => typeof f === 'function');
    for (const [name, f] of originals)
      outbox[name] = async (...args: unknown[]) => {
        if (name !== 'relay') await sleep(400);
        return (f as (...a: unknown[]) => Promise<unknown>).apply(t.container.outbox, args);
      };
    try {
      const starting = await open();
      const made = await send('POST', '/api/v1/profiles', admin, {
        name: 'Made while a stream started',
        email: `starting.${process.pid}@example.com`,
      });
      const id = (made.json() as { id: string }).id;
      await eventually(
        'the change reached the stream that was starting',
        () => starting.of('profile.created').some((e) => (e.data as Json).id === id),
        { timeoutMs: 10_000 },
      );
      await starting.close();
    } finally {
      for (const [name, f] of originals) outbox[name] = f;
    }
  });

  it("sends a task's events to its submitter and admins only, without the submitter's id", async () => {
    const [asAlice, asBob, asAdmin] = [await open(alice), await open(bob), await open(admin)];
    const me = await send('GET', '/api/v1/me', alice);
    const profileId = (me.json() as { id: string }).id;
    const res = await send('POST', '/api/v1/tasks/delayed', alice, {
      type: 'profile.export',
      payload: { profile_id: profileId },
    });
    assert.equal(res.statusCode, 202, res.body);
    const taskId = (res.json() as { id: string }).id;
    const ofTask = (s: Stream) => s.of('task.').filter((e) => (e.data as Json).id === taskId);
    await eventually('the task succeeded on alice’s stream', () => ofTask(asAlice).map((e) => e.event), {
      until: (kinds) => kinds.includes('task.succeeded'),
      timeoutMs: 15_000,
    });
    await eventually('and on the admin’s', () => ofTask(asAdmin).length, {
      until: (n) => n >= 3,
      timeoutMs: 5_000,
    });
    assert.deepEqual(
      ofTask(asAlice).map((e) => e.event),
      ['task.scheduled', 'task.running', 'task.succeeded'],
    );
    assert.deepEqual(ofTask(asBob), [], 'bob never receives alice’s task events');
    for (const e of [...ofTask(asAlice), ...ofTask(asAdmin)])
      assert.equal((e.data as Json).submitted_by, undefined);
    await Promise.all([asAlice, asBob, asAdmin].map((s) => s.close()));
  });

  it('resumes with Last-Event-ID: what was missed, in order, nothing twice', async () => {
    const first = await open(admin);
    const made = await send('POST', '/api/v1/profiles', admin, {
      name: 'Resume 0',
      email: `r0.${process.pid}@example.com`,
    });
    const id = (made.json() as { id: string }).id;
    await eventually('the first event', () => first.of('profile.').some((e) => (e.data as Json).id === id));
    const last = first.lastId() as string;
    await first.close();
    for (let i = 1; i <= 3; i++)
      await send('PATCH', `/api/v1/profiles/${id}`, admin, { bio: `while away ${i}` });
    // Wait until the relay has numbered the missed events, then come back.
    await eventually(
      'the missed events relayed',
      async () => (await t.container.outbox.after(Number(last), 10)).length,
      {
        until: (n) => n >= 3,
      },
    );
    const resumed = await open({ ...admin, 'last-event-id': last });
    await send('PATCH', `/api/v1/profiles/${id}`, admin, { bio: 'after coming back' });
    const bios = () =>
      resumed
        .of('profile.updated')
        .filter((e) => (e.data as Json).id === id)
        .map((e) => (e.data as Json).bio);
    await eventually('missed and live events', bios, { until: (b) => b.length >= 4 });
    assert.deepEqual(bios(), ['while away 1', 'while away 2', 'while away 3', 'after coming back']);
    const ids = resumed.events.filter((e) => e.id).map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...new Set(ids)].sort((a, b) => a - b),
      'in order, none twice',
    );
    assert.ok((ids[0] as number) > Number(last));
    await resumed.close();
  });

  it('replays in the order of the numbers, past a power of ten (not as text: 10 before 9)', async () => {
    const made = await send('POST', '/api/v1/profiles', admin, {
      name: 'Many changes',
      email: `many.${process.pid}@example.com`,
    });
    const id = (made.json() as { id: string }).id;
    for (let i = 1; i <= 12; i++)
      await send('PATCH', `/api/v1/profiles/${id}`, admin, { bio: `change ${i}` });
    const all = await eventually('all relayed', () => t.container.outbox.after(0, 1_000), {
      until: (events) => events.filter((e) => (e.payload as Json).id === id).length === 13,
    });
    const seqs = all.map((e) => e.seq);
    assert.ok(seqs.length >= 13 && (seqs.at(-1) as number) >= 13, 'past ten events');
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    const from = seqs[seqs.length - 6] as number;
    assert.deepEqual(
      (await t.container.outbox.after(from, 3)).map((e) => e.seq),
      [from + 1, from + 2, from + 3],
    );
  });

  it('says `reset` when the gap is too old to replay (the events missed are gone)', async () => {
    await t.container.db.query(
      "UPDATE outbox_events SET relayed_at = now() - interval '2 days' WHERE seq IS NOT NULL",
      [],
      't_age',
    );
    await t.container.outbox.pruneRelayed(new Date(Date.now() - 86_400_000), 100_000);
    await send('POST', '/api/v1/profiles', admin, {
      name: 'After prune',
      email: `ap.${process.pid}@example.com`,
    });
    await eventually('a new event relayed', async () => t.container.outbox.oldestKept(), {
      until: (v) => v !== undefined,
    });
    const stream = await open(admin, '?last_event_id=1');
    await eventually('reset', () => stream.events.map((e) => e.event), { until: (k) => k.includes('reset') });
    await stream.close();
  });

  it('ends with `reauth` when the access token expires', async () => {
    const issuer = await testIssuer();
    const now = Math.floor(Date.now() / 1000);
    const short = await issuer.forge({
      iss: issuer.url,
      aud: issuer.audience,
      sub: 'short-lived',
      iat: now,
      exp: now + 2,
      roles: [],
    });
    const stream = await open({ authorization: `Bearer ${short}` });
    assert.equal(stream.status, 200);
    await eventually('the stream ended', () => stream.ended(), { timeoutMs: 10_000 });
    assert.equal(stream.events.at(-1)?.event, 'reauth');
  });

  it('keeps idle streams alive with heartbeats, and limits streams per caller', async () => {
    const [a, b, c] = [await open(bob), await open(bob), await open(bob)];
    await eventually('heartbeats', () => a.comments(), { until: (n) => n >= 2, timeoutMs: 5_000 });
    const refused = await openStream(`${base}/api/v1/events`, bob);
    assert.equal(refused.status, 429);
    await refused.close();
    await b.close();
    await eventually('a slot is free again', async () => {
      const s = await openStream(`${base}/api/v1/events`, bob);
      const ok = s.status === 200;
      await s.close();
      return ok;
    });
    await Promise.all([a.close(), c.close()]);
  });
});

describe('event streams and shutdown', () => {
  it('an open stream does not hold up closing the server: it is ended first', async () => {
    const t = await startTestApp({ caller: 'as-given', testDatabase: openTestPglite });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openStream(
      `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1/events`,
    );
    assert.equal(stream.status, 200);
    const started = Date.now();
    await t.close();
    await eventually('the stream ended', () => stream.ended(), { timeoutMs: 5_000 });
    assert.ok(Date.now() - started < 5_000, `closed in ${Date.now() - started} ms`);
  });
});
