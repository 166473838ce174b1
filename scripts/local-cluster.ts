// `make local-cluster`: the scale-out setup on this machine, until Ctrl-C. See the README.
//   nginx :18080 → API instances :18081-18083 (+ workers :18181-18182 for health and metrics),
//   HAProxy :15432 (the PostgreSQL leader, DB_URI) and :15433 (the replicas, DB_READ_URI) over three
//   members under Patroni (:55432-55434, REST :18008-18010) and etcd :12379, Prometheus :19090, on the
//   machine's Redis (6379) and RabbitMQ (5672).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCluster } from '../server/test/kit/local-cluster.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (msg: string) => console.log(`[local-cluster] ${msg}`);

say('building the server…');
execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'profile-local-cluster-'));
const cluster = await startLocalCluster({
  dir,
  // As production starts them: the tracing bootstrap first (off unless OTEL_* below name an exporter).
  entry: (name) => ['--import', './dist/telemetry/tracing.js', `dist/cmd/${name}.js`],
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OTEL_'))),
    REDIS_ADDRESS: process.env.REDIS_ADDRESS ?? '127.0.0.1:6379',
    CACHE_KEY_PREFIX: 'local-cluster:{pc}:',
    CACHE_MAX_ENTRIES: '10000',
    QUEUE_URI: process.env.QUEUE_URI ?? 'amqp://guest:guest@127.0.0.1:5672',
    QUEUE_NAMESPACE: 'local-cluster',
    LOG_LEVEL: 'info',
  },
  log: say,
}).catch((err: Error) => {
  say(`could not start: ${err.message}`);
  process.exit(1);
});

console.log(`
  Local cluster is up (data in ${dir})

    Through nginx   ${cluster.edge}/api/v1/profiles   (/media cached at the edge)
    API instances   ${cluster.servers.map((s) => s.url).join('  ')}
    Workers         ${cluster.workers.map((w) => `${w.url}/health/ready`).join('  ')}
    PostgreSQL      leader ${cluster.primaryUri}   replicas ${cluster.replicaUri}   (through HAProxy)
    Patroni         ${cluster.postgres.members.map((m) => m.api).join('  ')}   (GET /cluster: who leads)
    Prometheus      ${cluster.prometheusUrl ?? '(not installed)'}
    Sign-in         ${cluster.issuer}   (development identity provider)
                    a token: AUTH_ISSUER=${cluster.issuer} npm run token -- --email you@example.com [--admin]

  Press Ctrl-C to stop and remove it.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await cluster.stop();
    cluster.remove();
    say('stopped');
    process.exit(0);
  });
}
