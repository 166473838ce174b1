// Child processes under test: spawn with output to a log file, wait for readiness, stop with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMiB } from './memory.js';

/** Anything the bench started and must stop at cleanup. */
export type Stoppable = {
  /** SIGTERM, then wait for exit (SIGKILL after `graceMs`). Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
};

export type Running = Stoppable & {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  logFile: string;
  pid: number;
  /** Its inspector's port, when started with one (CPU profiles: lib/cpu.ts). */
  inspectPort?: number;
  /** Resident memory once it was ready, before any load, in MiB. */
  idleRssMiB?: number;
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
  /** Starts it with its inspector on this port, for CPU profiles. */
  inspectPort?: number;
};

export { freePort } from '../../server/test/kit/process.js';

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

/** One log file per target, overwritten each run (the bench database is fixed too: one run at a time). */
const logFileOf = (name: string) => join(tmpdir(), `profiles-bench-${name}.log`);

/** `node <args>` with stderr (and stdout unless piped) to `logFile`. */
function launch(
  opts: { args: string[]; cwd: string; env: Record<string, string> },
  logFile: string,
  pipe: boolean,
) {
  const fd = openSync(logFile, 'w');
  try {
    return spawn(process.execPath, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', pipe ? 'pipe' : fd, fd],
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
}

function stopper(child: ChildProcess): Stoppable['stop'] {
  let stopping: Promise<void> | undefined;
  return (graceMs = 15_000) => {
    stopping ??= (async () => {
      const done = exited(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

/** Spawns `node <args>` and resolves once GET readyPath returns 200; kills the child if it never does. */
export async function spawnAndWaitReady(opts: SpawnOptions): Promise<Running> {
  const logFile = logFileOf(opts.name);
  const inspect = opts.inspectPort ? [`--inspect=127.0.0.1:${opts.inspectPort}`] : [];
  const child = launch({ ...opts, args: [...inspect, ...opts.args] }, logFile, false);
  const url = `http://127.0.0.1:${opts.port}`;
  const running: Running = {
    name: opts.name,
    url,
    logFile,
    pid: child.pid as number,
    ...(opts.inspectPort ? { inspectPort: opts.inspectPort } : {}),
    stop: stopper(child),
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
        if (res.status === 200) {
          running.idleRssMiB = rssMiB(running.pid);
          return running;
        }
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

/** A child that runs to completion (e.g. a baseline that prints its result) rather than serving. */
export type Job = Stoppable & {
  name: string;
  logFile: string;
  /** The child's stdout once it exits 0; rejects on another exit or after `timeoutMs` (and kills it). */
  output: Promise<string>;
};

export function spawnJob(opts: {
  name: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}): Job {
  const logFile = logFileOf(opts.name);
  const child = launch(opts, logFile, true);
  const stop = stopper(child);
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const output = new Promise<string>((resolveOutput, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${opts.name} did not finish within ${opts.timeoutMs} ms; see ${logFile}`));
      void stop(2_000);
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close': the process exited and its stdout is fully read.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveOutput(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`${opts.name} exited (${code ?? signal}); see ${logFile}`));
    });
  });
  return { name: opts.name, logFile, stop, output };
}

/** Waits until `text` appears in a child's log file (e.g. a line logged once it really works). */
export async function waitForLog(
  target: { name: string; logFile: string },
  text: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!readFileSync(target.logFile, 'utf8').includes(text)) {
    if (Date.now() > deadline) {
      throw new Error(`${target.name} did not log ${text} within ${timeoutMs} ms; see ${target.logFile}`);
    }
    await sleep(100);
  }
}
