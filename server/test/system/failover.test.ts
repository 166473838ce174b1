// The local cluster losing its PostgreSQL leader while clients write through nginx: the leader's
// postmaster is SIGKILLed, Patroni promotes the synchronous standby, HAProxy follows it, and the API
// and the workers carry on without a restart. Then the old leader rejoins, and a second failover
// works as the first did.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { localClusterUnavailable, startTestCluster } from '../kit/cluster/availability.js';
import { cancelSyncWaits, freezeWalSenders } from '../kit/cluster/pg-faults.js';
import { type Attempt, retryUntilDone, succeeded, writeLoad } from '../kit/cluster/write-load.js';
import { eventually } from '../kit/eventually.js';
import { bearer } from '../kit/identity.js';
import type { LocalCluster } from '../kit/local-cluster.js';
import { dropPrefix, dropQueueNamespace, uniquePrefix } from '../kit/services.js';
import { openStream } from '../kit/sse.js';

/** The aim of the issue, and the bound this cluster's settings are held to (measured: see the README). */
const FAILOVER_BOUND_MS = 15_000;

type Readiness = { at: number; name: string; status: number; database?: string };

/** Polls every instance's readiness every 200 ms until `stop()`. */
async function watchReadiness(cluster: LocalCluster, stop: () => boolean): Promise<Readiness[]> {
  const seen: Readiness[] = [];
  await Promise.all(
    [...cluster.servers, ...cluster.workers].map(async (s) => {
      while (!stop()) {
        try {
          const res = await fetch(`${s.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
          const body = (await res.json()) as { checks: { database: { status: string } } };
          seen.push({
            at: Date.now(),
            name: s.name,
            status: res.status,
            database: body.checks.database.status,
          });
        } catch (err) {
          seen.push({ at: Date.now(), name: s.name, status: 0, database: (err as Error).message });
        }
        await sleep(200);
      }
    }),
  );
  return seen;
}

const skip = await localClusterUnavailable();
describe('PostgreSQL failover under load (make local-cluster)', { skip, timeout: 900_000 }, () => {
  let cluster: LocalCluster;
  let db: pg.Pool;
  let auth: Record<string, string>;
  const prefix = uniquePrefix('failover');
  const namespace = `failover-test-${process.pid}-${Date.now()}`;
  const pids = () => [...cluster.servers, ...cluster.workers].map((s) => s.proc?.child.pid);
  let startedPids: (number | undefined)[];

  before(async () => {
    auth = await bearer('admin@example.com', { admin: true });
    cluster = await startTestCluster('failover-test', {
      prefix,
      namespace,
      env: {
        // A request cut by the failover leaves its key held until the lease lapses; a short one
        // keeps the retries of this test short.
        IDEMPOTENCY_LEASE: '5s',
      },
      tools: { prometheus: { skip: 'not needed for failover' } },
    });
    db = new pg.Pool({ connectionString: cluster.primaryUri, max: 2 });
    db.on('error', () => {});
    startedPids = pids();
  });

  after(async () => {
    await db?.end();
    await cluster?.stop();
    cluster?.remove();
    await dropPrefix(prefix);
    await dropQueueNamespace(namespace);
  });

  /** The load, the kill, and what every write came to; asserts every promise of the failover. */
  async function failover(tag: string, opts: { standbysCutFirst?: boolean } = {}) {
    const old = await cluster.postgres.leader();
    old.rewinds.length = 0;
    let killedAt = 0;
    let newLeaderAt = 0;
    let done = false;
    const load = writeLoad({ edge: cluster.edge, auth, writers: 6, taskers: 2, tag }, () => done);
    const readiness = watchReadiness(cluster, () => done);
    await sleep(2_000);
    const pid = old.postmasterPid();
    assert.ok(pid, `${old.name} runs a postmaster`);
    // With the standbys cut off, commits wait for them (the writes hang); those cancelled meanwhile
    // stay committed on the leader alone. Neither may be acknowledged: they are lost with it.
    const frozen = opts.standbysCutFirst ? await freezeWalSenders(old) : [];
    let cancelled = 0;
    if (frozen.length) {
      await sleep(2_000);
      cancelled = await cancelSyncWaits(old);
      await sleep(2_000);
    }
    killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    for (const sender of frozen) process.kill(sender, 'SIGKILL');
    const leader = await eventually(
      `a member other than ${old.name} leads`,
      async () => (await cluster.postgres.state()).find((s) => s.role === 'leader' && s.state === 'running'),
      { until: (s) => s !== undefined && s.name !== old.name, timeoutMs: 60_000, intervalMs: 100 },
    ).catch((err: Error) => {
      const logs = cluster.postgres.members.map((m) => `${m.name}:\n${m.proc?.output().slice(-3_000)}`);
      throw new Error(`${err.message}\n${logs.join('\n')}`);
    });
    newLeaderAt = Date.now();
    // Load goes on until writes have succeeded for a while on the new leader.
    await sleep(5_000);
    done = true;
    const [attempts, ready] = await Promise.all([load, readiness]);

    const failed = attempts.filter((a) => !succeeded(a));
    const outageMs = failed.length ? Math.max(...failed.map((a) => a.ended)) - killedAt : 0;
    const promotedMs = newLeaderAt - killedAt;
    const wins = attempts.filter((a) => succeeded(a) && a.started > newLeaderAt);
    assert.ok(wins.length > 20, `${wins.length} writes succeeded after the switch`);

    // Refusals only, each one a retryable 503 problem with Retry-After: no 500, no hang, no reset.
    const statuses = [...new Set(failed.map((a) => a.status ?? a.error))];
    assert.deepEqual(
      statuses.filter((s) => s !== 503),
      [],
      JSON.stringify(failed.slice(0, 5)),
    );
    for (const a of failed) {
      assert.match(a.contentType ?? '', /^application\/problem\+json/, JSON.stringify(a));
      assert.ok(Number(a.retryAfter) >= 1, JSON.stringify(a));
    }
    assert.ok(outageMs < FAILOVER_BOUND_MS, `writes failed for ${outageMs} ms after the kill`);

    // Every write that failed, retried with its key, succeeds: a replay when the first had committed.
    const retried: Attempt[] = [];
    for (const a of failed) retried.push(await retryUntilDone(cluster.edge, auth, a));
    const profiles = [...attempts.filter((a) => a.kind === 'profile' && succeeded(a)), ...retried];
    await assertProfilesOnce(profiles.filter((a) => a.kind === 'profile'));
    const tasks = [...attempts.filter((a) => a.kind === 'task' && succeeded(a)), ...retried];
    const reran = await assertTasksOnce(tasks.filter((a) => a.kind === 'task'));

    // Readiness told the truth: unavailable with the database down while it was, ready again after.
    const down = ready.filter((r) => r.status !== 200);
    for (const r of down) assert.equal(r.database, 'down', JSON.stringify(r));
    assert.ok(down.length > 0, 'some instance saw the database down');
    await eventually('every instance is ready again', async () => {
      for (const s of [...cluster.servers, ...cluster.workers]) {
        const res = await fetch(`${s.url}/health/ready`);
        await res.arrayBuffer();
        if (res.status !== 200) return false;
      }
      return true;
    });
    assert.deepEqual(pids(), startedPids, 'no instance or worker was restarted');

    const replays = retried.filter((a) => a.replayed).length;
    const unconfirmed = failed.filter((a) => /not confirmed by a standby/.test(a.detail ?? '')).length;
    if (opts.standbysCutFirst) assert.ok(cancelled > 0 && unconfirmed > 0, `${cancelled} waits cancelled`);
    process.stdout.write(
      `# failover ${tag}: ${old.name} → ${leader?.name}: promoted ${promotedMs} ms after the SIGKILL, ` +
        `writes failing for ${outageMs} ms; ${attempts.length} writes, ${failed.length} answered 503 ` +
        `(${unconfirmed} for a cancelled commit no standby confirmed); retried with their keys, ` +
        `${replays} replayed a commit that had survived and ${failed.length - replays} created theirs; ` +
        `${tasks.length} tasks all succeeded once (${reran} ran a second attempt); ` +
        `readiness 503 ${down.length} times\n`,
    );
    return { old, leader: leader?.name };
  }

  /** Each key's profile exists exactly once, with the id its (first or retried) success named. */
  async function assertProfilesOnce(done: Attempt[]) {
    const emails = done.map((a) => a.body.email as string);
    const { rows } = await db.query<{ email: string; n: number; id: string }>(
      'SELECT email, count(*)::int AS n, min(id::text) AS id FROM profiles WHERE email = ANY($1) GROUP BY email',
      [emails],
    );
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    for (const a of done) {
      const row = byEmail.get(a.body.email as string);
      assert.deepEqual({ n: row?.n, id: row?.id }, { n: 1, id: a.id }, a.key);
    }
    assert.equal(rows.length, new Set(emails).size);
  }

  /** Each key's task exists once and succeeds, echoing its payload; returns how many needed a rerun. */
  async function assertTasksOnce(done: Attempt[]): Promise<number> {
    const markers = done.map((a) => (a.body.payload as { marker: string }).marker);
    type Row = { marker: string; n: number; id: string; status: string; attempts: number; echoed: string };
    const rows = await eventually(
      `${markers.length} tasks have succeeded`,
      async () =>
        (
          await db.query<Row>(
            `SELECT payload->>'marker' AS marker, count(*)::int AS n, min(id::text) AS id,
                    min(status) AS status, max(attempts)::int AS attempts, min(result->>'marker') AS echoed
             FROM tasks WHERE payload->>'marker' = ANY($1) GROUP BY 1`,
            [markers],
          )
        ).rows,
      {
        until: (r) => r.length === markers.length && r.every((t) => t.status === 'succeeded'),
        timeoutMs: 90_000,
      },
    );
    const byMarker = new Map(rows.map((r) => [r.marker, r]));
    for (const [i, a] of done.entries()) {
      const row = byMarker.get(markers[i] as string);
      assert.deepEqual(
        { n: row?.n, id: row?.id, echoed: row?.echoed },
        { n: 1, id: a.id, echoed: markers[i] },
        a.key,
      );
    }
    return rows.filter((r) => r.attempts > 1).length;
  }

  let first: Awaited<ReturnType<typeof failover>>;

  it("SIGKILL of the leader's postmaster under writes through nginx: a standby takes over, every acknowledged write survives, every refused one retried with its key lands once, tasks finish once", async () => {
    first = await failover('first');
  });

  it('the old leader rejoins as a replica on the new timeline', async () => {
    const states = await cluster.postgres.settled();
    const leader = states.find((s) => s.role === 'leader');
    const rejoined = states.find((s) => s.name === first.old.name);
    assert.notEqual(rejoined?.role, 'leader');
    assert.equal(rejoined?.timeline, leader?.timeline, JSON.stringify(states));
    process.stdout.write(
      `# ${first.old.name} rejoined as ${rejoined?.role} on timeline ${rejoined?.timeline}` +
        `${first.old.rewinds.length ? ` after pg_rewind (${first.old.rewinds.length} log lines)` : ' (no pg_rewind needed)'}\n`,
    );
  });

  it('the scheduler and the outbox relay resume by themselves: a delayed task runs, a change reaches a stream on another instance', async (ctx) => {
    const [a, b] = cluster.servers;
    const stream = await openStream(`${b?.url}/api/v1/events`);
    ctx.after(() => stream.close());
    const task = await fetch(`${a?.url}/api/v1/tasks/delayed`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'echo', payload: { after: 'failover' }, delay: 1 }),
    });
    assert.equal(task.status, 202);
    const { id } = (await task.json()) as { id: string };
    const created = await fetch(`${a?.url}/api/v1/profiles`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'After failover', email: `after.${namespace}@example.com` }),
    });
    assert.equal(created.status, 201);
    const profile = (await created.json()) as { id: string };
    await eventually(
      'the delayed task succeeded',
      async () => {
        const res = await fetch(`${a?.url}/api/v1/tasks/${id}`, { headers: auth });
        return ((await res.json()) as { status: string }).status;
      },
      { until: (s) => s === 'succeeded', timeoutMs: 30_000 },
    );
    await eventually('the stream on another instance got the change', () =>
      stream.of('profile.created').some((e) => (e.data as { id: string }).id === profile.id),
    );
  });

  it('a second failover, the standbys cut off first: commits they never confirmed (waiting, or cancelled) are refused, retried, land once; the old leader, gone further, rejoins through pg_rewind', async () => {
    const second = await failover('second', { standbysCutFirst: true });
    assert.notEqual(second.leader, first.leader);
    const states = await cluster.postgres.settled();
    const rejoined = states.find((s) => s.name === second.old.name);
    assert.notEqual(rejoined?.role, 'leader');
    assert.equal(rejoined?.timeline, states.find((s) => s.role === 'leader')?.timeline);
    assert.ok(
      second.old.rewinds.some((l) => /running pg_rewind from/.test(l)) &&
        second.old.rewinds.some((l) => /pg_rewind exit code=0/.test(l)),
      second.old.rewinds.join('\n') || 'Patroni ran no pg_rewind',
    );
    process.stdout.write(`# ${second.old.name} rejoined as ${rejoined?.role} after pg_rewind\n`);
  });
});
