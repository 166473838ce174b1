// The processes of the local cluster: started with their output kept, stopped with a grace period,
// awaited until they answer.
import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { eventually } from '../eventually.js';

export type Proc = { name: string; child: ChildProcess; output: () => string };
export type RunAs = { uid: number; gid: number };

export function startProc(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd: string; user?: RunAs | undefined },
): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
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

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const exited = (child: ChildProcess) =>
  hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Signals `p` and waits for it to exit, killing it once `graceMs` have passed. */
export async function stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
  if (!p || hasExited(p.child)) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await exited(p.child);
  clearTimeout(timer);
}

/** Stops waiting at once when the process that should answer has exited (its output follows). */
const whileRunning = (proc: Proc) => ({ stopIf: () => hasExited(proc.child) && `${proc.name} exited` });

export async function waitHttp(url: string, proc: Proc, timeoutMs = 60_000) {
  await eventually(
    `${proc.name} is ready at ${url}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      return res.status;
    },
    { until: (status) => status === 200, timeoutMs, intervalMs: 150, ...whileRunning(proc) },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${proc.output()}`);
  });
}

export async function waitPostgres(uri: string, proc: Proc, timeoutMs = 60_000) {
  await eventually(
    `${proc.name} accepts queries`,
    async () => {
      const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    { timeoutMs, intervalMs: 150, ...whileRunning(proc) },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${proc.output()}`);
  });
}

/** Runs one statement on its own connection; its rows. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  uri: string,
  statement: string,
): Promise<T[]> {
  const c = new pg.Client({ connectionString: uri });
  await c.connect();
  try {
    return (await c.query<T>(statement)).rows;
  } finally {
    await c.end();
  }
}
