// The local scale-out cluster, on one machine: a PostgreSQL primary and a streaming replica of it
// (its own instances, from the machine's PostgreSQL binaries), three API instances and two workers
// on the machine's Redis and RabbitMQ, nginx in front (balancing, retrying, caching /media), and
// Prometheus scraping every instance. Used by `make local-cluster` (scripts/local-cluster.ts) and by
// the tests that SIGKILL and restart its parts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresTool, type Tool, tool } from './tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_DIR = join(ROOT, 'server');

export type ClusterPorts = {
  edge: number;
  servers: [number, number, number];
  workers: [number, number];
  primary: number;
  replica: number;
  prometheus: number;
};

/** The ports of deploy/nginx/local-cluster.conf and deploy/prometheus/local-cluster.yml. */
export const DEFAULT_PORTS: ClusterPorts = {
  edge: 18080,
  servers: [18081, 18082, 18083],
  workers: [18181, 18182],
  primary: 55432,
  replica: 55433,
  prometheus: 19090,
};

export type ClusterOptions = {
  dir: string;
  ports?: ClusterPorts;
  /** Runs an entry point: `server` or `worker`, as node arguments (compiled dist, or tsx on src). */
  entry: (name: 'server' | 'worker') => string[];
  /** Variables for every instance: Redis and RabbitMQ addresses, key prefix, queue namespace, … */
  env: Record<string, string>;
  log?: (msg: string) => void;
  /** Prometheus is optional for a user (skipped with a note when absent); tests require it. */
  requirePrometheus?: boolean;
  /** Replaces tools found on the machine (tests of a failed start). */
  tools?: Partial<ClusterTools>;
};

type Proc = { name: string; child: ChildProcess; output: () => string };

export type ClusterTools = {
  initdb: Tool;
  postgres: Tool;
  pg_basebackup: Tool;
  nginx: Tool;
  prometheus: Tool;
};

/** Every machine tool the cluster runs, looked up before anything starts. */
export function clusterTools(): ClusterTools {
  return {
    initdb: postgresTool('initdb'),
    postgres: postgresTool('postgres'),
    pg_basebackup: postgresTool('pg_basebackup'),
    nginx: tool('nginx', ['/usr/sbin/nginx', '/usr/bin/nginx']),
    prometheus: tool('prometheus', ['/usr/bin/prometheus', '/usr/local/bin/prometheus']),
  };
}

/** What is missing for a cluster (Prometheus only when required), in one message; empty when none. */
function missingTools(tools: ClusterTools, requirePrometheus: boolean): string[] {
  return Object.entries(tools)
    .filter(([name, t]) => t.skip && (name !== 'prometheus' || requirePrometheus))
    .map(([, t]) => t.skip as string);
}

/** PostgreSQL refuses to run as root: as root, its processes run as the postgres user. */
function pgUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  };
}

function start(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; user?: { uid: number; gid: number } },
): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output: () => out };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await exited(p.child);
  clearTimeout(timer);
}

async function waitHttp(url: string, proc: Proc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} not ready at ${url}:\n${proc.output()}`);
    await sleep(150);
  }
}

async function waitPostgres(uri: string, proc: Proc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${proc.name} not ready:\n${proc.output()}`);
      await sleep(150);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Starts the cluster. Every tool is checked before anything starts, and whatever did start is stopped
 * again when a later step fails, so a failed start leaves no process behind.
 */
export async function startLocalCluster(opts: ClusterOptions) {
  const tools = { ...clusterTools(), ...opts.tools };
  const missing = missingTools(tools, opts.requirePrometheus ?? false);
  if (missing.length) throw new Error(`cannot start the local cluster: ${missing.join('; ')}`);
  const procs: Proc[] = [];
  try {
    return await startParts(opts, tools, procs);
  } catch (err) {
    await Promise.all(procs.map((p) => stopProc(p, 'SIGKILL', 1_000)));
    throw err;
  }
}

async function startParts(opts: ClusterOptions, tools: ClusterTools, procs: Proc[]) {
  const bin = (t: Tool) => t.path as string;
  const ports = opts.ports ?? DEFAULT_PORTS;
  const log = opts.log ?? (() => {});
  const dir = opts.dir;
  const user = pgUser();
  const owned = (path: string) => {
    mkdirSync(path, { recursive: true });
    if (user) chownSync(path, user.uid, user.gid);
    chmodSync(path, 0o700);
    return path;
  };
  mkdirSync(dir, { recursive: true });
  if (user) chmodSync(dir, 0o755);
  const track = (p: Proc) => {
    procs.push(p);
    return p;
  };
  const pgDir = owned(join(dir, 'pg'));
  const primaryUri = `postgres://root@127.0.0.1:${ports.primary}/profiles`;
  const replicaUri = `postgres://root@127.0.0.1:${ports.replica}/profiles`;
  const pgArgs = (data: string, port: number) => [
    '-D',
    data,
    '-c',
    `port=${port}`,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${pgDir}`,
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ];

  // --- PostgreSQL: a primary, and a streaming replica of it -----------------------------------------
  const primaryData = join(pgDir, 'primary');
  log(`PostgreSQL primary on ${ports.primary}`);
  execFileSync(bin(tools.initdb), ['-D', primaryData, '-U', 'root', '-A', 'trust', '--no-sync'], {
    stdio: 'ignore',
    ...(user ?? {}),
  });
  const primary = {
    proc: track(
      start('postgres primary', bin(tools.postgres), pgArgs(primaryData, ports.primary), {
        ...(user ? { user } : {}),
      }),
    ),
  };
  await waitPostgres(`postgres://root@127.0.0.1:${ports.primary}/postgres`, primary.proc);
  const admin = new pg.Client({ connectionString: `postgres://root@127.0.0.1:${ports.primary}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE profiles');
  await admin.end();

  const replicaData = join(pgDir, 'replica');
  log(`PostgreSQL replica on ${ports.replica} (streaming from the primary)`);
  execFileSync(
    bin(tools.pg_basebackup),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(ports.primary),
      '-U',
      'root',
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      // Start at once instead of waiting for the next scheduled checkpoint.
      '--checkpoint=fast',
      '--no-sync',
    ],
    {
      stdio: 'ignore',
      ...(user ?? {}),
    },
  );
  const replica = {
    proc: undefined as Proc | undefined,
    async start() {
      const p = start('postgres replica', bin(tools.postgres), pgArgs(replicaData, ports.replica), {
        ...(user ? { user } : {}),
      });
      replica.proc = track(p);
      await waitPostgres(replicaUri, p);
    },
    /** Fast shutdown: the replica is down until start(). */
    async stop() {
      await stopProc(replica.proc, 'SIGINT');
    },
    /** Pauses WAL replay: the replica falls behind the primary until resume(). */
    async pause() {
      await onReplica('SELECT pg_wal_replay_pause()');
    },
    async resume() {
      await onReplica('SELECT pg_wal_replay_resume()');
    },
  };
  const onReplica = async (sql: string) => {
    const c = new pg.Client({ connectionString: replicaUri });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await replica.start();

  // --- the service: three API instances, two workers -------------------------------------------------
  const mediaDir = join(dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const edge = `http://127.0.0.1:${ports.edge}`;
  const common = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DB_URI: primaryUri,
    DB_READ_URI: replicaUri,
    DB_POOL_MAX: '10',
    // Shared by the three: one machine, one directory.
    STORAGE_DRIVER: 'fs',
    MEDIA_DIR: mediaDir,
    DATA_DIR: join(dir, 'data'),
    CDN_BASE_URL: `${edge}/media`,
    SHUTDOWN_DELAY: '500ms',
    ...opts.env,
  };
  type Instance = {
    name: string;
    port: number;
    url: string;
    proc?: Proc;
    start(): Promise<void>;
    stop(signal?: NodeJS.Signals): Promise<void>;
  };
  const instance = (name: string, kind: 'server' | 'worker', port: number): Instance => {
    const self: Instance = {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      async start() {
        const env: Record<string, string> = {
          ...common,
          ...(kind === 'server' ? { SERVER_PORT: String(port) } : { WORKER_PORT: String(port) }),
        };
        self.proc = track(start(name, process.execPath, opts.entry(kind), { cwd: SERVER_DIR, env }));
        await waitHttp(`${self.url}/health/ready`, self.proc);
      },
      async stop(signal: NodeJS.Signals = 'SIGTERM') {
        await stopProc(self.proc, signal);
      },
    };
    return self;
  };
  const servers = ports.servers.map((p, i) => instance(`server ${i + 1}`, 'server', p));
  const workers = ports.workers.map((p, i) => instance(`worker ${i + 1}`, 'worker', p));
  log(`API instances on ${ports.servers.join(', ')}; workers on ${ports.workers.join(', ')}`);
  // The first migrates; the others find the schema there (all would be safe together, under a lock).
  await servers[0]?.start();
  await Promise.all([...servers.slice(1), ...workers].map((s) => s.start()));

  // --- nginx in front ------------------------------------------------------------------------------
  const nginxDir = join(dir, 'nginx');
  for (const sub of ['logs', 'tmp', 'cache']) mkdirSync(join(nginxDir, sub), { recursive: true });
  const conf = readFileSync(join(ROOT, 'deploy/nginx/local-cluster.conf'), 'utf8')
    .replace(/listen \d+;/, `listen 127.0.0.1:${ports.edge};`)
    .replace(/server 127\.0\.0\.1:18081 /, `server 127.0.0.1:${ports.servers[0]} `)
    .replace(/server 127\.0\.0\.1:18082 /, `server 127.0.0.1:${ports.servers[1]} `)
    .replace(/server 127\.0\.0\.1:18083 /, `server 127.0.0.1:${ports.servers[2]} `);
  if (!ports.servers.every((p) => conf.includes(`server 127.0.0.1:${p} `))) {
    throw new Error('deploy/nginx/local-cluster.conf: its upstreams are not where this script expects them');
  }
  writeFileSync(join(nginxDir, 'nginx.conf'), conf);
  const nginxBin = bin(tools.nginx);
  log(`nginx on ${ports.edge}`);
  const nginx = track(
    start(
      'nginx',
      nginxBin,
      ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
      {},
    ),
  );
  await waitHttp(`${edge}/health`, nginx);

  // --- Prometheus ----------------------------------------------------------------------------------
  const promBin = tools.prometheus.path;
  let prometheus: Proc | undefined;
  const prometheusUrl = `http://127.0.0.1:${ports.prometheus}`;
  if (promBin) {
    const promDir = join(dir, 'prometheus');
    mkdirSync(promDir, { recursive: true });
    const targets = (list: number[]) => list.map((p) => `'127.0.0.1:${p}'`).join(', ');
    const promConf = readFileSync(join(ROOT, 'deploy/prometheus/local-cluster.yml'), 'utf8')
      .replace(/targets: \[["']127\.0\.0\.1:18081["'][^\]]*\]/, `targets: [${targets(ports.servers)}]`)
      .replace(/targets: \[["']127\.0\.0\.1:18181["'][^\]]*\]/, `targets: [${targets(ports.workers)}]`);
    if (
      !promConf.includes(`127.0.0.1:${ports.servers[0]}`) ||
      !promConf.includes(`127.0.0.1:${ports.workers[0]}`)
    ) {
      throw new Error(
        'deploy/prometheus/local-cluster.yml: its targets are not where this script expects them',
      );
    }
    writeFileSync(join(promDir, 'local-cluster.yml'), promConf);
    writeFileSync(join(promDir, 'alerts.yml'), readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml')));
    log(`Prometheus on ${ports.prometheus}`);
    prometheus = track(
      start(
        'prometheus',
        promBin,
        [
          `--config.file=${join(promDir, 'local-cluster.yml')}`,
          `--storage.tsdb.path=${join(promDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        ],
        {},
      ),
    );
    await waitHttp(`${prometheusUrl}/-/ready`, prometheus);
  } else {
    log('Prometheus is not installed (apt-get install prometheus): running without it');
  }

  return {
    dir,
    ports,
    edge,
    primaryUri,
    replicaUri,
    prometheusUrl: prometheus ? prometheusUrl : undefined,
    servers,
    workers,
    replica,
    async stop() {
      await Promise.all([...servers, ...workers].map((s) => s.stop()));
      await Promise.all([stopProc(nginx, 'SIGQUIT'), stopProc(prometheus), replica.stop()]);
      await stopProc(primary.proc, 'SIGINT');
      for (const p of procs) await stopProc(p, 'SIGKILL', 1_000);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LocalCluster = Awaited<ReturnType<typeof startLocalCluster>>;
