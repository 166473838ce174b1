// `npm start` as a newcomer runs it: one command builds and runs API + worker + web client (and the
// development identity provider) on embedded defaults, prints their URLs, and Ctrl-C (SIGINT to
// the whole process group, as a terminal sends it) stops them all cleanly.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, startNode } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const answers = async (url: string) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
};

/** Sign-in goes to the embedded provider, which knows this origin's callback and asks who you are. */
async function signInReachesTheProvider(web: number, auth: number) {
  const login = await fetch(`http://127.0.0.1:${web}/auth/login`, { redirect: 'manual' });
  const authorize = new URL(login.headers.get('location') ?? '');
  assert.equal(authorize.origin, `http://localhost:${auth}`);
  assert.equal(authorize.searchParams.get('redirect_uri'), `http://127.0.0.1:${web}/auth/callback`);
  const prompt = await fetch(authorize, { redirect: 'manual' });
  assert.equal(prompt.status, 303, 'the provider accepts the client and its redirect URI');
  assert.match(prompt.headers.get('location') ?? '', /^\/interaction\//);
}

describe('npm start', () => {
  it('runs API, worker, provider and client, prints their URLs, and stops them all on Ctrl-C', {
    timeout: 300_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'start-'));
    const [api, worker, web, auth] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // Its own process group, so that the "Ctrl-C" below reaches every process in it, as a terminal's does.
    const started = startNode('npm start', ['scripts/start.mjs'], {
      cwd: ROOT,
      detached: true,
      env: {
        SERVER_PORT: String(api),
        WORKER_PORT: String(worker),
        CLIENT_PORT: String(web),
        AUTH_PORT: String(auth),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
    });
    const { child } = started;
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 240_000;
      while (!started.output().includes('Press Ctrl-C')) {
        assert.equal(child.exitCode, null, `npm start exited early:\n${started.output()}`);
        assert.ok(Date.now() < deadline, `npm start did not come up:\n${started.output()}`);
        await sleep(250);
      }
      assert.match(started.output(), new RegExp(`Web client\\s+http://localhost:${web}`));
      assert.match(started.output(), new RegExp(`API\\s+http://localhost:${api}/api/v1/profiles`));
      assert.match(started.output(), new RegExp(`Worker\\s+http://localhost:${worker}/health/ready`));
      assert.match(started.output(), new RegExp(`Sign-in\\s+http://localhost:${auth}\\s`));
      assert.equal(await answers(`http://127.0.0.1:${web}/profiles`), 200);
      assert.equal(
        await answers(`http://127.0.0.1:${web}/api/v1/profiles`),
        200,
        'the client passes API calls on',
      );
      assert.equal(await answers(`http://127.0.0.1:${web}/api/v1/me`), 401, 'signed out, the API says so');
      await signInReachesTheProvider(web, auth);
      assert.equal(await answers(`http://127.0.0.1:${worker}/health/ready`), 200);

      process.kill(-(child.pid as number), 'SIGINT');
      const [code, signal] = (await Promise.race([exited, sleep(30_000).then(() => ['timeout'])])) as [
        number | null,
        string | null,
      ];
      assert.deepEqual([code, signal], [0, null], started.output());
      assert.match(started.output(), /\[start\] stopped/);
      for (const port of [api, worker, web, auth])
        assert.equal(await answers(`http://127.0.0.1:${port}/`), 0, `port ${port} closed`);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a busy port before building anything, naming the variable that moves it', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const started = startNode('npm start', ['scripts/start.mjs'], {
        cwd: ROOT,
        env: { CLIENT_PORT: String(port), SERVER_PORT: 'eighty', LOG_LEVEL: 'warn' },
      });
      const [code] = (await Promise.race([
        once(started.child, 'exit'),
        sleep(30_000, undefined, { ref: false }).then(() => ['timeout']),
      ])) as [number | string | null];
      const output = started.output();
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`port ${port} is already in use: .*set CLIENT_PORT to another port`));
      assert.match(output, /SERVER_PORT=eighty is not a port number/);
      assert.doesNotMatch(output, /building|EADDRINUSE/, 'nothing was built or started');
    } finally {
      busy.close();
    }
  });
});
