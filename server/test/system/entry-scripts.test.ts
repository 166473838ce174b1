// The production entry scripts as a user runs them: `npm run start:server` and `npm run start:worker`
// started at the same moment on a stale build both come up; the server is compiled once, and neither
// reads the other's half-written output.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { answers200 } from '../kit/eventually.js';
import { testProcessEnv } from '../kit/identity.js';
import { freePort } from '../kit/process.js';
import { dropQueueNamespace, QUEUE_URI, servicesUnavailable, suiteDatabase } from '../kit/services.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const skip = await servicesUnavailable('postgres', 'rabbitmq');

type Script = { child: ChildProcess; output: () => string };

/** `npm run <script>` in a process group of its own, so stopping it stops npm's children too. */
function npmRun(script: string, env: Record<string, string>): Script {
  const child = spawn('npm', ['run', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return { child, output: () => out };
}

async function stopGroup(s: Script) {
  if (s.child.exitCode !== null || s.child.signalCode !== null || !s.child.pid) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  process.kill(-s.child.pid, 'SIGTERM');
  const timer = setTimeout(() => s.child.pid && process.kill(-s.child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once `url` answers 200; gives up at once if the script exits. */
const ready = (url: string, s: Script) =>
  answers200(url, {
    timeoutMs: 120_000,
    stopIf: () => s.child.exitCode !== null && `it exited before ${url} was ready:\n${s.output()}`,
  });

describe('entry scripts started together', { skip, timeout: 300_000 }, () => {
  const namespace = `entry-scripts-${process.pid}`;
  const scripts: Script[] = [];
  after(async () => {
    for (const s of scripts) await stopGroup(s);
    await dropQueueNamespace(namespace).catch(() => {});
  });
  // Registered after the scripts' teardown, so the database is dropped once they are stopped.
  const db = suiteDatabase('entry');

  it('npm run start:server and start:worker at the same moment on a stale build: both ready, one compile', async () => {
    // Stale: the build's record of its sources is gone, so both scripts find it out of date.
    rmSync(join(ROOT, 'server/dist/.source-hash'), { force: true });
    const env = {
      ...(await testProcessEnv()),
      DB_URI: db.uri,
      QUEUE_URI,
      QUEUE_NAMESPACE: namespace,
      HOST: '127.0.0.1',
    };
    const [serverPort, workerPort] = [await freePort(), await freePort()];
    const server = npmRun('start:server', { ...env, SERVER_PORT: String(serverPort) });
    const worker = npmRun('start:worker', { ...env, WORKER_PORT: String(workerPort) });
    scripts.push(server, worker);
    await Promise.all([
      ready(`http://127.0.0.1:${serverPort}/health/ready`, server),
      ready(`http://127.0.0.1:${workerPort}/health/ready`, worker),
    ]);
    const compiles = (server.output() + worker.output()).match(/compiling the server/g) ?? [];
    assert.equal(compiles.length, 1, server.output() + worker.output());
    assert.ok(existsSync(join(ROOT, 'server/dist/.source-hash')));
  });
});
