// A Redis Cluster of this machine's redis-server: `masters` nodes on local ports, no replicas,
// every slot assigned, for the suites that check the cache and the rate limits on a cluster.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './eventually.js';
import { freeFixedPort } from './process.js';
import { tool } from './tools.js';

const run = promisify(execFile);

export const redisServer = tool('redis-server', ['/usr/bin/redis-server'], 'apt-get install redis-server');
export const redisCli = tool('redis-cli', ['/usr/bin/redis-cli'], 'apt-get install redis-tools');

export type RedisCluster = { nodes: string[]; address: string; stop(): Promise<void> };

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const taken = new Set<number>();
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const nodes: string[] = [];
    for (let i = 0; i < masters; i++) {
      // The cluster bus listens on port + 10000: both must be free.
      let port = await freeFixedPort(taken);
      while (port + 10_000 > 42_767) port = await freeFixedPort(taken);
      taken.add(port);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir);
      args.push('--save', '', '--appendonly', 'no', '--cluster-node-timeout', '2000');
      procs.push(spawn(String(redisServer.path), args, { stdio: 'ignore' }));
      nodes.push(`127.0.0.1:${port}`);
    }
    for (const node of nodes) {
      const [, port] = node.split(':');
      await eventually(
        `redis-server on ${node}`,
        () => run(String(redisCli.path), ['-p', String(port), 'ping']).then((r) => r.stdout.trim()),
        { until: (out) => out === 'PONG', timeoutMs: 10_000, intervalMs: 100 },
      );
    }
    await run(String(redisCli.path), [
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const node of nodes) {
      const [, port] = node.split(':');
      await eventually(
        `cluster state ok on ${node}`,
        () => run(String(redisCli.path), ['-p', String(port), 'cluster', 'info']).then((r) => r.stdout),
        { until: (out) => out.includes('cluster_state:ok'), timeoutMs: 15_000, intervalMs: 200 },
      );
    }
    return { nodes, address: nodes.join(','), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
