// The local scale-out cluster under test: nginx over three API instances and two workers, on
// PostgreSQL under Patroni (a leader and two replicas behind HAProxy), Redis and RabbitMQ, Prometheus
// scraping each one. The leader's loss is tested in failover.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { localClusterUnavailable, startTestCluster } from '../kit/cluster/availability.js';
import { setReplay } from '../kit/cluster/pg-faults.js';
import { eventually } from '../kit/eventually.js';
import { bearer } from '../kit/identity.js';
import { imageForm, makeImage } from '../kit/images.js';
import type { LocalCluster } from '../kit/local-cluster.js';
import { dropPrefix, dropQueueNamespace, uniquePrefix } from '../kit/services.js';
import { openStream } from '../kit/sse.js';

type Profile = { id: string; email: string; version: number };

/** GETs from `concurrency` loops until `stop` resolves; every answer that is not 200 is a failure. */
async function load(urls: () => string, concurrency: number, stop: Promise<unknown>) {
  let done = false;
  void stop.then(() => {
    done = true;
  });
  let ok = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) {
        const url = urls();
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
          await res.arrayBuffer();
          if (res.status === 200) ok++;
          else failures.push(`${res.status} ${url}`);
        } catch (err) {
          failures.push(`${(err as Error).message} ${url}`);
        }
      }
    }),
  );
  return { ok, failures };
}

// Tools are looked up before anything starts: a machine without nginx skips (fails under CI=true)
// instead of starting half a cluster.
const skip = await localClusterUnavailable();
describe('local cluster (make local-cluster)', { skip, timeout: 420_000 }, () => {
  let cluster: LocalCluster;
  const prefix = uniquePrefix('cluster');
  const namespace = `cluster-test-${process.pid}-${Date.now()}`;
  const ids: string[] = [];
  // Writes carry an admin's token (who creates any number of profiles); reads stay anonymous.
  let auth: Record<string, string>;
  const writing = (body: unknown) => ({
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  before(async () => {
    auth = await bearer('admin@example.com', { admin: true });
    cluster = await startTestCluster('local-cluster-test', {
      prefix,
      namespace,
      env: {
        CACHE_TIMEOUT: '2s',
        CACHE_MAX_ENTRIES: '1000',
        DB_READ_MAX_LAG: '1s',
      },
      requirePrometheus: true,
      // The deployed rules, but an alert fires 10 s into its condition, not after a minute or more,
      // and every group is evaluated every 5 s.
      alertFor: '10s',
    });
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${cluster.edge}/api/v1/profiles`, {
        method: 'POST',
        ...writing({ name: `Cluster ${i}`, email: `cluster.${i}.${namespace}@example.com` }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      ids.push(((await res.json()) as Profile).id);
    }
  });

  after(async () => {
    await cluster?.stop();
    cluster?.remove();
    await dropPrefix(prefix);
    await dropQueueNamespace(namespace);
  });

  const pick = () => ids[Math.floor(Math.random() * ids.length)] as string;
  const json = async <T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
    const res = await fetch(url, init);
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as T };
  };

  it('spreads requests over the three instances', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${cluster.edge}/api/v1/profiles/${pick()}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      const upstream = res.headers.get('x-upstream') ?? '?';
      seen.set(upstream, (seen.get(upstream) ?? 0) + 1);
    }
    assert.deepEqual(
      [...seen.keys()].sort(),
      cluster.servers.map((s) => `127.0.0.1:${s.port}`).sort(),
      JSON.stringify([...seen]),
    );
  });

  it('a write through one instance is read fresh through the others', async () => {
    const [a, b, c] = cluster.servers as [
      LocalCluster['servers'][number],
      LocalCluster['servers'][number],
      LocalCluster['servers'][number],
    ];
    const created = await json<Profile>(`${a.url}/api/v1/profiles`, {
      method: 'POST',
      ...writing({ name: 'Fresh', email: `fresh.${namespace}@example.com` }),
    });
    const id = created.body.id;
    for (const s of [b, c])
      assert.equal((await json<Profile>(`${s.url}/api/v1/profiles/${id}`)).body.version, 1);
    const patched = await json<Profile>(`${b.url}/api/v1/profiles/${id}`, {
      method: 'PATCH',
      ...writing({ bio: 'changed on b' }),
    });
    assert.equal(patched.body.version, 2);
    for (const s of [a, c])
      assert.equal((await json<Profile>(`${s.url}/api/v1/profiles/${id}`)).body.version, 2, s.name);
    const deleted = await json(`${c.url}/api/v1/profiles/${id}`, { method: 'DELETE', headers: auth });
    assert.equal(deleted.status, 204);
    for (const s of [a, b]) assert.equal((await json(`${s.url}/api/v1/profiles/${id}`)).status, 404, s.name);
  });

  it('a change through one instance reaches event streams on the others, and through nginx', async (ctx) => {
    const [a, b, c] = cluster.servers as [
      LocalCluster['servers'][number],
      LocalCluster['servers'][number],
      LocalCluster['servers'][number],
    ];
    const streams = await Promise.all([
      openStream(`${b.url}/api/v1/events`),
      openStream(`${c.url}/api/v1/events`),
      openStream(`${cluster.edge}/api/v1/events`),
    ]);
    ctx.after(() => Promise.all(streams.map((s) => s.close())));
    for (const s of streams) assert.equal(s.status, 200);
    const created = await json<Profile>(`${a.url}/api/v1/profiles`, {
      method: 'POST',
      ...writing({ name: 'Streamed', email: `streamed.${namespace}@example.com` }),
    });
    for (const [i, s] of streams.entries()) {
      await eventually(
        `stream ${i} got the change made through instance 1`,
        () => s.of('profile.created').some((e) => (e.data as { id: string }).id === created.body.id),
        { timeoutMs: 15_000 },
      );
    }
  });

  it('nginx caches /media as a CDN edge would', async () => {
    const form = imageForm(await makeImage.png(200, 150, 5));
    const up = await fetch(`${cluster.edge}/api/v1/profiles/${ids[0]}/images`, {
      method: 'POST',
      headers: { ...auth, 'content-type': form.contentType },
      body: form.body,
    });
    assert.equal(up.status, 201, await up.clone().text());
    const image = (await up.json()) as { variants: { thumbnail: string } };
    assert.ok(image.variants.thumbnail.startsWith(`${cluster.edge}/media/`), image.variants.thumbnail);
    const statuses: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(image.variants.thumbnail);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      statuses.push(res.headers.get('x-cache-status') ?? '');
    }
    assert.deepEqual(statuses, ['MISS', 'HIT']);
  });

  it('Prometheus scrapes every instance', async () => {
    type Targets = { data: { activeTargets: { labels: { job: string }; health: string }[] } };
    await eventually(
      'Prometheus sees 3 server and 2 worker targets up',
      async () =>
        (await json<Targets>(`${cluster.prometheusUrl}/api/v1/targets`)).body.data.activeTargets.map(
          (t) => `${t.labels.job} ${t.health}`,
        ),
      {
        until: (targets) =>
          targets.filter((t) => t === 'profile-server up').length === 3 &&
          targets.filter((t) => t === 'profile-worker up').length === 2,
        intervalMs: 500,
      },
    );
  });

  type Alert = { labels: Record<string, string>; state: 'pending' | 'firing'; activeAt: string };
  const prometheus = <T>(path: string) =>
    json<{ status: string; data: T }>(`${cluster.prometheusUrl}${path}`, {
      signal: AbortSignal.timeout(2_000),
    });

  it('Prometheus evaluates every rule of alerts.yml and slo.yml, and records the SLO ratios from the real metrics', async () => {
    type Groups = { groups: { name: string; file: string; rules: { name: string; health: string }[] }[] };
    const groups = await eventually(
      'every rule group has been evaluated without error',
      async () => (await prometheus<Groups>('/api/v1/rules')).body.data.groups,
      {
        until: (gs) => gs.length > 0 && gs.every((g) => g.rules.every((r) => r.health === 'ok')),
        intervalMs: 500,
      },
    );
    const files = new Set(groups.map((g) => g.file.replace(/.*\//, '')));
    assert.deepEqual([...files].sort(), ['alerts.yml', 'slo.yml']);
    // The recording rules' selectors match what the instances export (job, route templates, le). With
    // no request in the last 5 minutes a ratio is 0/0 (NaN, which alerts on nothing): reads go on.
    for (const ratio of ['job:api_request_errors:ratio_rate5m', 'job:api_request_slow:ratio_rate5m']) {
      type Vector = { result: { metric: Record<string, string>; value: [number, string] }[] };
      const [sample] = await eventually(
        `${ratio} is recorded, a number`,
        async () => {
          for (let i = 0; i < 5; i++)
            await (await fetch(`${cluster.edge}/api/v1/profiles/${pick()}`)).arrayBuffer();
          const query = `/api/v1/query?query=${encodeURIComponent(ratio)}`;
          return (await prometheus<Vector>(query)).body.data.result;
        },
        {
          until: (r) => r.length === 1 && Number.isFinite(Number(r[0]?.value[1])),
          intervalMs: 500,
          timeoutMs: 30_000,
        },
      );
      assert.equal(sample?.metric.job, 'profile-server');
      const value = Number(sample?.value[1]);
      assert.ok(value >= 0 && value <= 1, `${ratio} = ${value}`);
    }
  });

  it('SIGKILL of one instance under load: no GET fails (nginx retries another)', async (ctx) => {
    const victim = cluster.servers[1] as LocalCluster['servers'][number];
    // The next tests need all three again, whatever happens here.
    ctx.after(async () => {
      if (victim.proc?.child.exitCode !== null || victim.proc.child.signalCode !== null) await victim.start();
    });
    const kill = sleep(1_000).then(() => victim.stop('SIGKILL'));
    const result = await load(
      () =>
        Math.random() < 0.8
          ? `${cluster.edge}/api/v1/profiles/${pick()}`
          : `${cluster.edge}/api/v1/profiles?limit=5`,
      16,
      kill.then(() => sleep(2_000)),
    );
    process.stdout.write(`# ${result.ok} GETs answered 200, ${result.failures.length} failed\n`);
    assert.deepEqual(result.failures, []);
    assert.ok(result.ok > 100, `${result.ok} requests answered`);
  });

  it('a rolling SIGTERM restart of all three under load: zero failed requests', async () => {
    const rolling = (async () => {
      await sleep(500);
      for (const s of cluster.servers) {
        await s.stop('SIGTERM');
        await s.start();
      }
      await sleep(500);
    })();
    const result = await load(() => `${cluster.edge}/api/v1/profiles/${pick()}`, 16, rolling);
    await rolling;
    process.stdout.write(`# ${result.ok} GETs answered 200, ${result.failures.length} failed\n`);
    assert.deepEqual(result.failures, []);
    assert.ok(result.ok > 100, `${result.ok} requests answered`);
  });

  it('lists stay correct while the replicas lag (reads move to the leader) and while they are down', async () => {
    const create = async (tag: string) => {
      const res = await json<Profile>(`${cluster.edge}/api/v1/profiles`, {
        method: 'POST',
        ...writing({ name: `Replica ${tag}`, email: `replica.${tag}.${namespace}@example.com` }),
      });
      assert.equal(res.status, 201);
      return res.body;
    };
    const newestEverywhere = async (p: Profile) => {
      for (const s of cluster.servers) {
        const list = await json<Profile[]>(`${s.url}/api/v1/profiles?limit=1`);
        assert.equal(list.status, 200, s.name);
        assert.equal(list.body[0]?.id, p.id, `${s.name} lists the newest profile`);
      }
    };

    // Both replicas, so that whichever one HAProxy picks for a read is behind.
    const replicas = await cluster.postgres.replicas();
    assert.equal(replicas.length, 2);
    await setReplay(replicas, true);
    try {
      const lagging = await create('lagging');
      // DB_READ_MAX_LAG is 1 s, checked every second: within a few, lists come from the leader.
      await eventually(
        'every instance lists the profile the lagging replicas lack',
        () => newestEverywhere(lagging).then(() => true),
        { timeoutMs: 15_000, intervalMs: 250 },
      );
    } finally {
      await setReplay(replicas, false);
    }

    // Both replicas stopped (Patroni and its PostgreSQL): the read port has no member to offer.
    await Promise.all(replicas.map((m) => m.stop()));
    try {
      const down = await create('down');
      await newestEverywhere(down);
    } finally {
      for (const m of replicas) m.start();
      await cluster.postgres.settled();
    }
  });

  it('a SIGKILLed instance fires ProfileInstanceDown in Prometheus (pending, then firing), resolved once it is back', async (ctx) => {
    const victim = cluster.servers[2] as LocalCluster['servers'][number];
    const instance = `127.0.0.1:${victim.port}`;
    ctx.after(async () => {
      if (victim.proc?.child.exitCode !== null || victim.proc.child.signalCode !== null) await victim.start();
    });
    const down = async () =>
      (await prometheus<{ alerts: Alert[] }>('/api/v1/alerts')).body.data.alerts.filter(
        (a) => a.labels.alertname === 'ProfileInstanceDown' && a.labels.instance === instance,
      );
    // Up and scraped: no alert for it, pending or firing.
    await eventually('no ProfileInstanceDown for the instance while it is up', down, {
      until: (alerts) => alerts.length === 0,
      timeoutMs: 30_000,
      intervalMs: 500,
    });

    const killed = Date.now();
    await victim.stop('SIGKILL');
    let pendingAfter: number | undefined;
    const [alert] = await eventually(
      `ProfileInstanceDown fires for ${instance}`,
      async () => {
        const alerts = await down();
        if (pendingAfter === undefined && alerts.some((a) => a.state === 'pending'))
          pendingAfter = Date.now() - killed;
        return alerts;
      },
      { until: (alerts) => alerts.some((a) => a.state === 'firing'), timeoutMs: 60_000, intervalMs: 250 },
    );
    const firingAfter = Date.now() - killed;
    assert.deepEqual(
      { ...alert?.labels, state: alert?.state },
      {
        alertname: 'ProfileInstanceDown',
        instance,
        job: 'profile-server',
        severity: 'page',
        state: 'firing',
      },
    );
    // `for:` is honoured: pending first (seen while polling), firing 10 s or more after the kill.
    assert.ok(pendingAfter !== undefined && pendingAfter < firingAfter, `pending seen at ${pendingAfter} ms`);
    assert.ok(firingAfter >= 10_000, `firing after ${firingAfter} ms`);

    await victim.start();
    const back = Date.now();
    await eventually(`ProfileInstanceDown for ${instance} resolves`, down, {
      until: (alerts) => alerts.length === 0,
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    process.stdout.write(
      `# ProfileInstanceDown: pending ${pendingAfter} ms and firing ${firingAfter} ms after the SIGKILL; ` +
        `resolved ${Date.now() - back} ms after the instance was ready again\n`,
    );
  });
});
