// The cluster's PostgreSQL: three members managed by Patroni over a one-node etcd, HAProxy in front
// routing to the leader (writes) and to the replicas (reads) by asking each member's Patroni REST API.
// Configured from deploy/patroni/local-cluster.yml and deploy/haproxy/local-cluster.cfg, their ports
// moved to the cluster's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { eventually } from '../eventually.js';
import { haproxyConfig, MEMBERS, patroniConfig } from './patroni-config.js';
import { type Proc, type RunAs, sql, startProc, stopProc, waitHttp, waitPostgres } from './processes.js';

export type PostgresPorts = {
  /** Each member's PostgreSQL. */
  postgres: [number, number, number];
  /** Each member's Patroni REST API. */
  patroni: [number, number, number];
  /** etcd's client and peer ports. */
  etcd: [number, number];
  /** HAProxy: the leader (DB_URI) and the replicas (DB_READ_URI). */
  haproxy: [number, number];
};

export type PostgresSetup = {
  /** Owned by the postgres user when run as root: data directories and the socket directory live here. */
  pgDir: string;
  root: string;
  user: RunAs | undefined;
  bin: { patroni: string; etcd: string; haproxy: string; postgresBinDir: string };
  track: (p: Proc) => Proc;
  log: (msg: string) => void;
};

/** A member as Patroni's GET /cluster lists it. */
export type MemberState = {
  name: string;
  role: 'leader' | 'sync_standby' | 'replica' | string;
  state: string;
  timeline?: number;
  lag?: number | string;
};

export const uriAt = (port: number, db: string) => `postgres://root@127.0.0.1:${port}/${db}`;

async function startEtcd(setup: PostgresSetup, ports: PostgresPorts) {
  const [client, peer] = ports.etcd.map((p) => `http://127.0.0.1:${p}`) as [string, string];
  setup.log(`etcd on ${ports.etcd[0]}`);
  const args = [
    '--name=profile-local',
    `--data-dir=${join(setup.pgDir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=profile-local=${peer}`,
    '--initial-cluster-state=new',
    '--log-level=warn',
    '--logger=zap',
  ];
  const etcd = setup.track(startProc('etcd', setup.bin.etcd, args, { cwd: setup.root, user: setup.user }));
  await waitHttp(`${client}/health`, etcd);
  return etcd;
}

export type Member = {
  name: string;
  api: string;
  port: number;
  dataDir: string;
  proc?: Proc;
  /** Lines of Patroni's log that mention pg_rewind, as they came. */
  rewinds: string[];
  start(): void;
  /** Patroni's own shutdown: it stops its PostgreSQL first (the member is gone until start()). */
  stop(): Promise<void>;
  /** The PID of the member's postmaster, from its postmaster.pid; undefined when it is not running. */
  postmasterPid(): number | undefined;
};

function member(setup: PostgresSetup, ports: PostgresPorts, i: number): Member {
  const name = MEMBERS[i] as string;
  const configFile = join(setup.pgDir, `patroni-${name}.yml`);
  writeFileSync(configFile, patroniConfig(setup, ports, i));
  const self: Member = {
    name,
    api: `http://127.0.0.1:${ports.patroni[i]}`,
    port: ports.postgres[i] as number,
    dataDir: join(setup.pgDir, name),
    rewinds: [],
    start() {
      const proc = startProc(`patroni ${name}`, setup.bin.patroni, [configFile], {
        cwd: setup.pgDir,
        user: setup.user,
      });
      proc.child.stderr?.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) if (/pg_rewind/.test(line)) self.rewinds.push(line);
      });
      self.proc = setup.track(proc);
    },
    async stop() {
      await stopProc(self.proc, 'SIGTERM', 30_000);
      await killPostmasters([self.dataDir]);
    },
    postmasterPid: () => postmasterOf(self.dataDir),
  };
  return self;
}

/** Patroni's view of the cluster, from any member that answers. */
async function clusterState(members: Member[]): Promise<MemberState[]> {
  for (const m of members) {
    try {
      const res = await fetch(`${m.api}/cluster`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return ((await res.json()) as { members: MemberState[] }).members;
    } catch {
      // the next member
    }
  }
  throw new Error('no Patroni member answers');
}

/** Whether a new connection to `uri` reaches a primary. */
async function onPrimary(uri: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 1_000 });
  try {
    await c.connect();
    return !(await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Resolves once six new connections in a row (two rounds over the members) reach the `role`. */
async function routesTo(uri: string, role: 'leader' | 'replica') {
  let inRow = 0;
  await eventually(
    `HAProxy at ${uri} routes to the ${role} only`,
    async () => {
      const ok = (await onPrimary(uri).catch(() => undefined)) === (role === 'leader');
      inRow = ok ? inRow + 1 : 0;
      return inRow;
    },
    { until: (n) => n >= 6, timeoutMs: 30_000, intervalMs: 50 },
  );
}

const replicating = (s: MemberState) => ['running', 'streaming'].includes(s.state);

/** One leader running, the others replicating from it, one of them the synchronous standby. */
export const healthy = (states: MemberState[], size = 3) =>
  states.length === size &&
  states.filter((s) => s.role === 'leader' && s.state === 'running').length === 1 &&
  states.some((s) => s.role === 'sync_standby' && replicating(s)) &&
  states.every((s) => s.role === 'leader' || replicating(s));

/** etcd, three Patroni members, HAProxy; resolves once a leader answers through HAProxy with `profiles`. */
export async function startPostgresHa(setup: PostgresSetup, ports: PostgresPorts) {
  const etcd = await startEtcd(setup, ports);
  setup.log(`PostgreSQL members on ${ports.postgres.join(', ')} (Patroni on ${ports.patroni.join(', ')})`);
  const members = MEMBERS.map((_, i) => member(setup, ports, i));
  for (const m of members) m.start();
  const state = () => clusterState(members);
  await eventually('Patroni has a leader, a synchronous standby and a replica', state, {
    until: (s) => healthy(s),
    timeoutMs: 120_000,
    intervalMs: 500,
    stopIf: () => members.find((m) => m.proc?.child.exitCode != null)?.name ?? false,
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${members.map((m) => m.proc?.output()).join('\n')}`);
  });

  const conf = join(setup.pgDir, 'haproxy.cfg');
  writeFileSync(conf, haproxyConfig(setup.root, ports));
  setup.log(`HAProxy on ${ports.haproxy[0]} (leader) and ${ports.haproxy[1]} (replicas)`);
  const haproxy = setup.track(
    startProc('haproxy', setup.bin.haproxy, ['-db', '-f', conf], { cwd: setup.root }),
  );
  await waitPostgres(uriAt(ports.haproxy[0], 'postgres'), haproxy);
  // HAProxy starts with every member up until its checks say otherwise.
  await routesTo(uriAt(ports.haproxy[0], 'postgres'), 'leader');
  await routesTo(uriAt(ports.haproxy[1], 'postgres'), 'replica');
  await sql(uriAt(ports.haproxy[0], 'postgres'), 'CREATE DATABASE profiles');

  return {
    uri: uriAt(ports.haproxy[0], 'profiles'),
    readUri: uriAt(ports.haproxy[1], 'profiles'),
    members,
    state,
    /** The member holding the leader key now. */
    async leader(): Promise<Member> {
      const name = (await state()).find((s) => s.role === 'leader')?.name;
      const found = members.find((m) => m.name === name);
      if (!found) throw new Error('the cluster has no leader');
      return found;
    },
    /** The members replicating now. */
    async replicas(): Promise<Member[]> {
      const names = new Set((await state()).filter((s) => s.role !== 'leader').map((s) => s.name));
      return members.filter((m) => names.has(m.name));
    },
    /** Resolves once the cluster is whole again: one leader, every other member replicating. */
    async settled(timeoutMs = 120_000) {
      return eventually('every member is back: one leader, the others replicating', state, {
        until: (s) => healthy(s),
        timeoutMs,
        intervalMs: 500,
      });
    },
    async stop() {
      await stopProc(haproxy);
      await Promise.all(members.map((m) => m.stop()));
      await stopProc(etcd);
    },
  };
}

export type PostgresHa = Awaited<ReturnType<typeof startPostgresHa>>;

/** Whether `pid` has exited (a zombie, never reaped by a dead parent, counts as exited). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** The PID in `dataDir`'s postmaster.pid while that process runs; undefined otherwise. */
function postmasterOf(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 && !gone(pid) ? pid : undefined;
  } catch {
    return undefined; // not running, or never started
  }
}

/**
 * SIGKILLs the postmaster still running from each of `dataDirs`, and waits for each to be gone (its
 * port closed): what a Patroni stopped or killed without stopping its PostgreSQL leaves behind.
 */
export async function killPostmasters(dataDirs: readonly string[]) {
  const pids = dataDirs.map(postmasterOf).filter((pid) => pid !== undefined);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await eventually('the killed postmasters are gone', () => pids.every(gone), {
    timeoutMs: 10_000,
    intervalMs: 20,
  });
}

/** The data directories of the members under `pgDir`, started or not. */
export const memberDirs = (pgDir: string) => MEMBERS.map((name) => join(pgDir, name));
