// `npm start` as a newcomer runs it: one command builds and runs API + worker + web client on
// embedded defaults, prints the three URLs, and Ctrl-C (SIGINT to the whole process group, as a
// terminal sends it) stops all three cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const answers = async (url: string) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
};

describe('npm start', () => {
  it('runs API, worker and client, prints their URLs, and stops all three on Ctrl-C', {
    timeout: 300_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'start-'));
    const [api, worker, web] = [await freePort(), await freePort(), await freePort()];
    // Its own process group, so that the "Ctrl-C" below reaches every process in it, as a terminal's does.
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        SERVER_PORT: String(api),
        WORKER_PORT: String(worker),
        CLIENT_PORT: String(web),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 240_000;
      while (!out.includes('Press Ctrl-C')) {
        assert.equal(child.exitCode, null, `npm start exited early:\n${out}`);
        assert.ok(Date.now() < deadline, `npm start did not come up:\n${out}`);
        await sleep(250);
      }
      assert.match(out, new RegExp(`Web client\\s+http://localhost:${web}`));
      assert.match(out, new RegExp(`API\\s+http://localhost:${api}/api/v1/profiles`));
      assert.match(out, new RegExp(`Worker\\s+http://localhost:${worker}/health/ready`));
      assert.equal(await answers(`http://127.0.0.1:${web}/profiles`), 200);
      assert.equal(
        await answers(`http://127.0.0.1:${web}/api/v1/profiles`),
        200,
        'the client rewrites to the API',
      );
      assert.equal(await answers(`http://127.0.0.1:${worker}/health/ready`), 200);

      process.kill(-(child.pid as number), 'SIGINT');
      const [code, signal] = (await Promise.race([exited, sleep(30_000).then(() => ['timeout'])])) as [
        number | null,
        string | null,
      ];
      assert.deepEqual([code, signal], [0, null], out);
      assert.match(out, /\[start\] stopped/);
      for (const port of [api, worker, web])
        assert.equal(await answers(`http://127.0.0.1:${port}/`), 0, `port ${port} closed`);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
