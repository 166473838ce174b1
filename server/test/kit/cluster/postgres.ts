// The cluster's PostgreSQL: a primary of its own, and a streaming replica of it that a test can
// stop, start, and make fall behind.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Proc, type RunAs, sql, startProc, stopProc, waitPostgres } from './processes.js';

export type PostgresSetup = {
  /** Owned by the postgres user when run as root: data directories and the socket directory live here. */
  pgDir: string;
  root: string;
  user: RunAs | undefined;
  bin: { initdb: string; postgres: string; pg_basebackup: string };
  track: (p: Proc) => Proc;
  log: (msg: string) => void;
};

const uriAt = (port: number, db: string) => `postgres://root@127.0.0.1:${port}/${db}`;

function serverArgs(setup: PostgresSetup, data: string, port: number) {
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${setup.pgDir}`,
    'fsync=off',
    'max_connections=200',
  ];
  return ['-D', data, ...settings.flatMap((s) => ['-c', s])];
}

function startServer(setup: PostgresSetup, name: string, data: string, port: number) {
  const args = serverArgs(setup, data, port);
  return setup.track(startProc(name, setup.bin.postgres, args, { cwd: setup.root, user: setup.user }));
}

/** initdb, start, and create the `profiles` database. */
export async function startPrimary(setup: PostgresSetup, port: number) {
  const data = join(setup.pgDir, 'primary');
  setup.log(`PostgreSQL primary on ${port}`);
  execFileSync(setup.bin.initdb, ['-D', data, '-U', 'root', '-A', 'trust', '--no-sync'], {
    stdio: 'ignore',
    ...(setup.user ?? {}),
  });
  const proc = startServer(setup, 'postgres primary', data, port);
  await waitPostgres(uriAt(port, 'postgres'), proc);
  await sql(uriAt(port, 'postgres'), 'CREATE DATABASE profiles');
  return { proc, uri: uriAt(port, 'profiles') };
}

/** A base backup of the primary, started as a hot standby streaming from it. */
export async function startReplica(setup: PostgresSetup, primaryPort: number, port: number) {
  const data = join(setup.pgDir, 'replica');
  const uri = uriAt(port, 'profiles');
  setup.log(`PostgreSQL replica on ${port} (streaming from the primary)`);
  const backup = [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'root',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
  ];
  // --checkpoint=fast: start at once instead of waiting for the next scheduled checkpoint.
  execFileSync(setup.bin.pg_basebackup, [...backup, '--checkpoint=fast', '--no-sync'], {
    stdio: 'ignore',
    ...(setup.user ?? {}),
  });
  const replica = {
    uri,
    proc: undefined as Proc | undefined,
    async start() {
      const p = startServer(setup, 'postgres replica', data, port);
      replica.proc = p;
      await waitPostgres(uri, p);
    },
    /** Fast shutdown: the replica is down until start(). */
    async stop() {
      await stopProc(replica.proc, 'SIGINT');
    },
    /** Pauses WAL replay: the replica falls behind the primary until resume(). */
    pause: () => sql(uri, 'SELECT pg_wal_replay_pause()'),
    resume: () => sql(uri, 'SELECT pg_wal_replay_resume()'),
  };
  await replica.start();
  return replica;
}
