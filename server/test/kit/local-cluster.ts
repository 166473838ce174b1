// The local scale-out cluster, on one machine: PostgreSQL with automatic failover (three members
// managed by Patroni over etcd, HAProxy routing to the leader and the replicas; the machine's
// PostgreSQL binaries, instances of the cluster's own), three API instances and two workers
// on the machine's Redis and RabbitMQ, nginx in front (balancing, retrying, caching /media),
// Prometheus scraping every instance, and the development identity provider unless another is named.
// Used by `make local-cluster` (scripts/local-cluster.ts) and by the tests that SIGKILL and restart
// its parts.

import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx, startPrometheus } from './cluster/edge.js';
import { killPostmasters, memberDirs, type PostgresPorts, startPostgresHa } from './cluster/patroni.js';
import { type Proc, type RunAs, startProc, stopProc, waitHttp } from './cluster/processes.js';
import { freeFixedPort } from './process.js';
import { postgresTool, type Tool, tool } from './tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_DIR = join(ROOT, 'server');

export type ClusterPorts = PostgresPorts & {
  edge: number;
  servers: [number, number, number];
  workers: [number, number];
  prometheus: number;
  /** The development identity provider, when the cluster runs its own. */
  issuer: number;
};

/** The ports of deploy/nginx, deploy/prometheus, deploy/patroni and deploy/haproxy's local-cluster files. */
export const DEFAULT_PORTS: ClusterPorts = {
  edge: 18080,
  servers: [18081, 18082, 18083],
  workers: [18181, 18182],
  postgres: [55432, 55433, 55434],
  patroni: [18008, 18009, 18010],
  etcd: [12379, 12380],
  haproxy: [15432, 15433],
  prometheus: 19090,
  issuer: 18090,
};

/**
 * Ports that were free a moment ago, for a cluster beside anything else on the machine (tests); below
 * the ephemeral range, so that no connection made meanwhile takes one of them before its part listens.
 */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const p = async () => {
    const port = await freeFixedPort(taken);
    taken.add(port);
    return port;
  };
  return {
    edge: await p(),
    servers: [await p(), await p(), await p()],
    workers: [await p(), await p()],
    postgres: [await p(), await p(), await p()],
    patroni: [await p(), await p(), await p()],
    etcd: [await p(), await p()],
    haproxy: [await p(), await p()],
    prometheus: await p(),
    issuer: await p(),
  };
}

export type ClusterOptions = {
  dir: string;
  ports?: ClusterPorts;
  /** Runs an entry point of cmd/, as node arguments (compiled dist, or tsx on src). */
  entry: (name: ClusterEntry) => string[];
  /** Variables for every instance: Redis and RabbitMQ addresses, key prefix, queue namespace, … */
  env: Record<string, string>;
  /**
   * The identity provider whose tokens the instances accept, as the variables that name it
   * (AUTH_ISSUER, and AUTH_AUDIENCE… when not the defaults; a test passes its own issuer's `env`).
   * Absent: the cluster runs the development provider (cmd/issuer) on `ports.issuer`; the started
   * cluster's `issuer` is its URL, and `AUTH_ISSUER=<that URL> npm run token -- --email … [--admin]`
   * prints a token for it.
   */
  issuer?: { AUTH_ISSUER: string } & Record<string, string>;
  log?: (msg: string) => void;
  /** Prometheus is optional for a user (skipped with a note when absent); tests require it. */
  requirePrometheus?: boolean;
  /**
   * Every alert rule's `for:` in the cluster's copy of deploy/prometheus's rules, every group at the
   * config's evaluation interval (a test that watches an alert fire, e.g. '10s'); absent: the rules
   * as deployed.
   */
  alertFor?: string;
  /** Replaces tools found on the machine (tests of a failed start). */
  tools?: Partial<ClusterTools>;
};

export type ClusterEntry = 'server' | 'worker' | 'issuer';

export type ClusterTools = {
  postgres: Tool;
  pg_rewind: Tool;
  patroni: Tool;
  etcd: Tool;
  haproxy: Tool;
  nginx: Tool;
  prometheus: Tool;
};

/** Every machine tool the cluster runs, looked up before anything starts. */
export function clusterTools(): ClusterTools {
  return {
    postgres: postgresTool('postgres'),
    pg_rewind: postgresTool('pg_rewind'),
    patroni: tool('patroni', ['/usr/bin/patroni', '/usr/local/bin/patroni']),
    etcd: tool('etcd', ['/usr/bin/etcd', '/usr/local/bin/etcd'], 'apt-get install etcd-server'),
    haproxy: tool('haproxy', ['/usr/sbin/haproxy', '/usr/bin/haproxy']),
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
function pgUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  };
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
    await killPostmasters(memberDirs(join(opts.dir, 'pg')));
    throw err;
  }
}

/** The directories the parts write to; PostgreSQL's owned by the user it runs as. */
function prepareDirs(dir: string, user: RunAs | undefined) {
  mkdirSync(dir, { recursive: true });
  if (user) chmodSync(dir, 0o755);
  const pgDir = join(dir, 'pg');
  mkdirSync(pgDir, { recursive: true });
  if (user) chownSync(pgDir, user.uid, user.gid);
  chmodSync(pgDir, 0o700);
  const mediaDir = join(dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  return { pgDir, mediaDir };
}

async function startParts(opts: ClusterOptions, tools: ClusterTools, procs: Proc[]) {
  const bin = (t: Tool) => t.path as string;
  const ports = opts.ports ?? DEFAULT_PORTS;
  const log = opts.log ?? (() => {});
  const user = pgUser();
  const { pgDir, mediaDir } = prepareDirs(opts.dir, user);
  const track = (p: Proc) => {
    procs.push(p);
    return p;
  };
  const pgBins = {
    patroni: bin(tools.patroni),
    etcd: bin(tools.etcd),
    haproxy: bin(tools.haproxy),
    postgresBinDir: dirname(bin(tools.postgres)),
  };
  const postgres = await startPostgresHa({ pgDir, root: ROOT, user, bin: pgBins, track, log }, ports);
  // The instances accept the named issuer's tokens, or those of a development provider of the cluster's.
  const identity = opts.issuer ?? { AUTH_ISSUER: `http://127.0.0.1:${ports.issuer}` };
  const ownIssuer = opts.issuer
    ? undefined
    : await startIssuer(opts, identity.AUTH_ISSUER, ports.issuer, track, log);

  const edge = `http://127.0.0.1:${ports.edge}`;
  const { servers, workers } = await startInstances(opts, ports, track, log, {
    DB_URI: postgres.uri,
    DB_READ_URI: postgres.readUri,
    MEDIA_DIR: mediaDir,
    CDN_BASE_URL: `${edge}/media`,
    ...identity,
  });

  const edgeSetup = { dir: opts.dir, root: ROOT, track, log };
  const nginx = await startNginx(edgeSetup, bin(tools.nginx), ports.edge, ports.servers);
  const prometheus = await startPrometheus(edgeSetup, tools.prometheus.path, ports, opts.alertFor);

  return {
    dir: opts.dir,
    ports,
    edge,
    /** Through HAProxy: the leader, wherever it is (DB_URI), and the replicas (DB_READ_URI). */
    primaryUri: postgres.uri,
    replicaUri: postgres.readUri,
    prometheusUrl: prometheus ? `http://127.0.0.1:${ports.prometheus}` : undefined,
    /** The issuer whose tokens the instances accept. */
    issuer: identity.AUTH_ISSUER,
    servers,
    workers,
    postgres,
    async stop() {
      await Promise.all([...servers, ...workers].map((s) => s.stop()));
      await Promise.all([stopProc(nginx, 'SIGQUIT'), stopProc(prometheus), stopProc(ownIssuer)]);
      await postgres.stop();
      for (const p of procs) await stopProc(p, 'SIGKILL', 1_000);
      await killPostmasters(memberDirs(pgDir));
    },
    remove() {
      rmSync(opts.dir, { recursive: true, force: true });
    },
  };
}

/**
 * The development identity provider (anyone signs in with any email; development only) for a cluster
 * given no other: listening on `port`, reached at `url`, its keys and accounts in the cluster's directory.
 */
async function startIssuer(
  opts: ClusterOptions,
  url: string,
  port: number,
  track: (p: Proc) => Proc,
  log: (msg: string) => void,
) {
  const env = {
    HOST: '127.0.0.1',
    LOG_LEVEL: opts.env.LOG_LEVEL ?? 'warn',
    DATA_DIR: join(opts.dir, 'issuer'),
    AUTH_ISSUER: url,
    AUTH_PORT: String(port),
  };
  log(`development identity provider on ${port}`);
  const proc = track(startProc('issuer', process.execPath, opts.entry('issuer'), { cwd: SERVER_DIR, env }));
  await waitHttp(`${url}/.well-known/openid-configuration`, proc);
  return proc;
}

export type Instance = {
  name: string;
  port: number;
  url: string;
  proc?: Proc;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** Three API instances and two workers; the first server migrates before the others start. */
async function startInstances(
  opts: ClusterOptions,
  ports: ClusterPorts,
  track: (p: Proc) => Proc,
  log: (msg: string) => void,
  shared: Record<string, string>,
) {
  const common = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '10',
    // Shared by the three: one machine, one directory.
    STORAGE_DRIVER: 'fs',
    DATA_DIR: join(opts.dir, 'data'),
    SHUTDOWN_DELAY: '500ms',
    ...shared,
    ...opts.env,
  };
  const instance = (name: string, kind: 'server' | 'worker', port: number): Instance => {
    const self: Instance = {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      async start() {
        const env: Record<string, string> = {
          ...common,
          [kind === 'server' ? 'SERVER_PORT' : 'WORKER_PORT']: String(port),
        };
        self.proc = track(startProc(name, process.execPath, opts.entry(kind), { cwd: SERVER_DIR, env }));
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
  return { servers, workers };
}

export type LocalCluster = Awaited<ReturnType<typeof startLocalCluster>>;
