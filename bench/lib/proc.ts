// Child processes under test: spawn with output to a log file, wait for readiness, stop with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type Running = {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  logFile: string;
  /** SIGTERM, then wait for exit (SIGKILL after `graceMs`). Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
};

export type SpawnOptions = {
  name: string;
  /** Arguments after the node executable. */
  args: string[];
  cwd: string;
  /** Full environment of the child (not merged with process.env). */
  env: Record<string, string>;
  port: number;
  /** Path polled until it answers 200. */
  readyPath: string;
  readyTimeoutMs?: number;
};

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolvePort(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

/** The parts of the environment a child needs to run (PATH, HOME, …), without anything app-specific. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/** Spawns `node <args>` and resolves once GET readyPath returns 200; kills the child if it never does. */
export async function spawnAndWaitReady(opts: SpawnOptions): Promise<Running> {
  // One file per target, overwritten each run (the bench database is fixed too: one run at a time).
  const logFile = join(tmpdir(), `profiles-bench-${opts.name}.log`);
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  const url = `http://127.0.0.1:${opts.port}`;

  let stopping: Promise<void> | undefined;
  const running: Running = {
    name: opts.name,
    url,
    logFile,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        const done = exited(child);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await done;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  let lastError = 'no answer yet';
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${opts.name} exited (${child.exitCode ?? child.signalCode}) before ready; see ${logFile}`,
        );
      }
      try {
        const res = await fetch(`${url}${opts.readyPath}`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status === 200) return running;
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        lastError = (err as Error).message;
      }
      if (Date.now() > deadline)
        throw new Error(`${opts.name} not ready in time (${lastError}); see ${logFile}`);
      await sleep(150);
    }
  } catch (err) {
    await running.stop(2_000);
    throw err;
  }
}
