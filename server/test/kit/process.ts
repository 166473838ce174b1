import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

const SERVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Spawned = {
  proc: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Runs an entry point of src/cmd as its own process, as production does (through tsx). */
export function spawnEntry(entry: 'server' | 'dev' | 'migrate' | 'worker', env: Record<string, string>) {
  return spawnNode(['--import', 'tsx', `src/cmd/${entry}.ts`], env);
}

/**
 * V8 aborts now and then freeing a tiered-up wasm-to-JS wrapper of PGlite's (WasmImportWrapperCache::
 * Free → "Check failed: jit_page_->allocations_.erase(addr) == 1", seen in CI): wrappers that never
 * tier up are never freed. A flag on the command line, as NODE_OPTIONS refuses V8 flags; the test
 * runner passes it on to each test file's process, and the processes tests start get it here.
 */
export const WASM_WRAPPER_FLAG = '--wasm-wrapper-tiering-budget=2147483647';

/** `node <args>` in the server's folder with only `env` (and PATH, HOME), its output kept. */
export function spawnNode(args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, [WASM_WRAPPER_FLAG, ...args], {
    cwd: SERVER_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const exit = once(proc, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { proc, output: () => out, exit };
}

/** Starts a server on a free port and resolves once it listens. */
export async function spawnServer(
  entry: 'server' | 'dev',
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Spawned> {
  const s = spawnEntry(entry, { SERVER_PORT: '0', ...env });
  let exited = false;
  void s.exit.then(() => {
    exited = true;
  });
  try {
    const port = await eventually(
      'the server listens',
      () => Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(s.output())?.[1] ?? 0),
      { timeoutMs, stopIf: () => exited && 'it exited before listening' },
    );
    return { ...s, port };
  } catch (err) {
    s.proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}:\n${s.output()}`);
  }
}

/** A TCP port that was free a moment ago, for a process the test starts. */
/** Whether nothing listens on 127.0.0.1:`port` (a listen there succeeds). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free port below Linux's ephemeral range (32768 and up), which the kernel never hands out to an
 * outgoing connection or to another listen(0): a port held for long, picked ahead of time, cannot be
 * taken in between by something else of the machine's. `taken`: ports already picked.
 */
export async function freeFixedPort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (!taken.has(port) && (await canListen(port))) return port;
  }
  throw new Error('no free port between 20000 and 32767');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
