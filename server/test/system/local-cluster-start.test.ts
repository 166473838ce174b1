// A start of the local cluster that cannot finish: a missing tool is named before anything starts,
// and a step failing late stops whatever had started.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromSources, localClusterUnavailable } from '../kit/cluster/availability.js';
import { freeClusterPorts, startLocalCluster } from '../kit/local-cluster.js';
import { dropQueueNamespace, QUEUE_URI, REDIS_ADDRESS, uniquePrefix } from '../kit/services.js';

const skip = await localClusterUnavailable();

describe('local cluster: a start that cannot finish leaves nothing running', {
  skip,
  timeout: 120_000,
}, () => {
  const refused = async (port: number) => {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      return false;
    } catch (err) {
      return /ECONNREFUSED/.test(String((err as Error & { cause?: Error }).cause?.message ?? err));
    }
  };

  it('a missing tool is reported before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-cluster-missing-'));
    await assert.rejects(
      startLocalCluster({
        dir,
        ports: await freeClusterPorts(),
        entry: fromSources,
        env: {},
        tools: { nginx: { skip: 'nginx is not installed (apt-get install nginx)' } },
      }),
      /cannot start the local cluster: nginx is not installed/,
    );
    assert.deepEqual(readdirSync(dir), [], 'nothing was created, nothing started');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a step failing late stops every process started before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-cluster-late-'));
    const p = await freeClusterPorts();
    const namespace = `cluster-late-${process.pid}`;
    await assert.rejects(
      startLocalCluster({
        dir,
        ports: p,
        entry: fromSources,
        env: { REDIS_ADDRESS, CACHE_KEY_PREFIX: uniquePrefix('late'), QUEUE_URI, QUEUE_NAMESPACE: namespace },
        // No issuer named: the cluster runs a development identity provider of its own first.
        // An "nginx" that exits at once: everything before it has started by then.
        tools: { nginx: { path: '/bin/false', skip: false } },
      }),
      /nginx exited/,
    );
    for (const port of [
      ...p.postgres,
      ...p.patroni,
      ...p.etcd,
      ...p.haproxy,
      p.issuer,
      ...p.servers,
      ...p.workers,
    ])
      assert.ok(await refused(port), `port ${port} is closed again ${JSON.stringify(p)}`);
    rmSync(dir, { recursive: true, force: true });
    await dropQueueNamespace(namespace);
  });
});
