// The container images, built and run rather than only written: both Dockerfiles are built with
// buildah on the base image made here (scripts/images/build.sh), then the migration, the server, the
// worker and the client run from the built images' root filesystems (buildah run --isolation chroot,
// as the image's user, with its CMD) against this machine's PostgreSQL, Redis and RabbitMQ.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { answers200, eventually } from '../kit/eventually.js';
import { bearer, testProcessEnv } from '../kit/identity.js';
import { freePort } from '../kit/process.js';
import {
  dropQueueNamespace,
  QUEUE_URI,
  REDIS_ADDRESS,
  servicesUnavailable,
  suiteDatabase,
} from '../kit/services.js';
import { anySkip, tool } from '../kit/tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tag = `test-${process.pid}`;
const SERVER_IMAGE = `localhost/profile-service/server:${tag}`;
const CLIENT_IMAGE = `localhost/profile-service/client:${tag}`;

function rootNeeded(): string | false {
  if (process.getuid?.() === 0) return false;
  const reason = 'building images here needs root (debootstrap and buildah)';
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true: a failure`);
  return reason;
}

const skip =
  anySkip(
    tool('buildah', ['/usr/bin/buildah']),
    tool('debootstrap', ['/usr/sbin/debootstrap']),
    tool('chroot', ['/usr/sbin/chroot', '/usr/bin/chroot'], 'apt-get install coreutils'),
  ) ||
  rootNeeded() ||
  (await servicesUnavailable('postgres', 'redis', 'rabbitmq'));

const buildah = (...args: string[]) => execFileSync('buildah', args, { encoding: 'utf8' }).trim();

type ImageConfig = { User: string; Cmd: string[]; WorkingDir: string; Healthcheck?: { Test: string[] } };
const configOf = (image: string): ImageConfig => {
  const info = JSON.parse(buildah('inspect', '--type', 'image', image));
  return info.Docker.config as ImageConfig;
};

/** A working container of an image, its root filesystem mounted for the checks that read files. */
function container(image: string) {
  const name = buildah('from', '--pull=never', image);
  return { name, rootfs: buildah('mount', name), remove: () => buildah('rm', name) };
}

type Running = { child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** Runs `cmd` (the image's CMD when omitted) in a container of `image`, as the image's user. */
function runInImage(image: string, env: Record<string, string>, cmd?: string[]): Running {
  const config = configOf(image);
  const ctr = buildah('from', '--pull=never', image);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const child = spawn(
    'buildah',
    [
      'run',
      '--isolation',
      'chroot',
      '--user',
      config.User,
      '--workingdir',
      config.WorkingDir,
      ...envArgs,
      ctr,
      '--',
      ...(cmd ?? config.Cmd),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      buildah('rm', ctr);
    },
  };
}

/** The response once `url` answers 200; gives up at once if the container's process exits. */
const waitOk = (url: string, proc: Running) =>
  answers200(url, {
    stopIf: () => proc.child.exitCode !== null && `it exited before answering:\n${proc.output()}`,
  });

/** Top-level packages the lockfile marks as needed only in development. */
function devOnlyPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages as Record<string, { dev?: boolean }>)
    .filter(([path, p]) => p.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
    .map(([path]) => path.slice('node_modules/'.length));
}

describe('container images (buildah)', { skip, timeout: 1_200_000 }, () => {
  const namespace = `images-test-${process.pid}`;
  const running: Running[] = [];
  const mounted: { remove: () => string }[] = [];

  before(async () => {
    execFileSync('bash', ['scripts/images/build.sh', 'server', 'client'], {
      cwd: ROOT,
      env: { ...process.env, SERVER_IMAGE, CLIENT_IMAGE },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  });

  after(async () => {
    for (const r of running) await r.stop().catch(() => {});
    for (const m of mounted) m.remove();
    for (const image of [SERVER_IMAGE, CLIENT_IMAGE]) {
      try {
        buildah('rmi', image);
      } catch {
        // never built
      }
    }
    await dropQueueNamespace(namespace).catch(() => {});
  });
  // Registered after the containers' teardown, so the database is dropped once they are stopped.
  const db = suiteDatabase('images');
  const common = () => ({ DB_URI: db.uri, REDIS_ADDRESS, QUEUE_URI, QUEUE_NAMESPACE: namespace });
  // The containers share the host's network: the test process's issuer is at 127.0.0.1 for them too.
  const serving = async () => ({ ...common(), ...(await testProcessEnv()) });

  it('both images are built FROM node:24-bookworm-slim and run Node 24 as the non-root node user', () => {
    for (const [image, dockerfile] of [
      [SERVER_IMAGE, 'server/Dockerfile'],
      [CLIENT_IMAGE, 'client/Dockerfile'],
    ] as const) {
      assert.match(readFileSync(join(ROOT, dockerfile), 'utf8'), /^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
      const config = configOf(image);
      assert.equal(config.User, 'node', image);
      assert.ok(config.Healthcheck?.Test.length, `${image} keeps its HEALTHCHECK`);
      const ctr = container(image);
      mounted.push(ctr);
      const passwd = readFileSync(join(ctr.rootfs, 'etc/passwd'), 'utf8');
      assert.match(passwd, /^node:x:1000:1000:/m, image);
      const version = buildah(
        'run',
        '--isolation',
        'chroot',
        '--user',
        'node',
        ctr.name,
        '--',
        'sh',
        '-c',
        'id -u; node --version',
      );
      assert.deepEqual(version.split('\n'), ['1000', `v${pinnedNode()}`], image);
    }
  });

  it('the server image carries production dependencies only', () => {
    const ctr = container(SERVER_IMAGE);
    mounted.push(ctr);
    const modules = join(ctr.rootfs, 'app/node_modules');
    assert.ok(existsSync(join(modules, 'fastify')), 'production dependencies are there');
    const devOnly = devOnlyPackages();
    for (const name of ['typescript', 'tsx', '@biomejs/biome', 'node', 'autocannon', 's3rver'])
      assert.ok(devOnly.includes(name), `${name} is a dev-only package in the lockfile`);
    const present = devOnly.filter((name) => existsSync(join(modules, name)));
    assert.deepEqual(present, [], 'no dev-only package in the final stage');
    assert.deepEqual(readdirSync(join(ctr.rootfs, 'app/server')).sort(), [
      'dist',
      'migrations',
      'package.json',
    ]);
  });

  it('the server runs on jemalloc (LD_PRELOAD), which sharp sees', () => {
    const ctr = container(SERVER_IMAGE);
    mounted.push(ctr);
    const probe = buildah(
      'run',
      '--isolation',
      'chroot',
      '--user',
      'node',
      '--workingdir',
      '/app/server',
      ctr.name,
      '--',
      'node',
      '-e',
      "const maps = require('fs').readFileSync('/proc/self/maps', 'utf8'); const sharp = require('sharp'); " +
        "console.log(JSON.stringify({ jemalloc: maps.includes('libjemalloc'), glibcLimit: sharp.concurrency() === 1 && require('os').availableParallelism() > 1 }))",
    );
    assert.deepEqual(JSON.parse(probe), { jemalloc: true, glibcLimit: false });
  });

  it('the client image carries client/public and the standalone server, no dev dependencies', () => {
    const ctr = container(CLIENT_IMAGE);
    mounted.push(ctr);
    for (const f of readdirSync(join(ROOT, 'client/public')))
      assert.ok(existsSync(join(ctr.rootfs, 'app/client/public', f)), `client/public/${f}`);
    assert.ok(existsSync(join(ctr.rootfs, 'app/client/server.js')));
    for (const name of ['typescript', 'playwright-core', 'axe-core', '@biomejs/biome'])
      assert.equal(existsSync(join(ctr.rootfs, 'app/node_modules', name)), false, name);
  });

  it('the migration runs from the server image', async () => {
    const migrate = runInImage(SERVER_IMAGE, common(), ['node', 'dist/cmd/migrate.js']);
    running.push(migrate);
    const code = await new Promise<number | null>((resolve) => migrate.child.once('exit', resolve));
    assert.equal(code, 0, migrate.output());
    const client = new pg.Client({ connectionString: db.uri });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT to_regclass('public.profiles') AS t`);
      assert.equal(rows[0].t, 'profiles');
    } finally {
      await client.end();
    }
  });

  it('the server (its CMD) and the worker from the server image are ready', async () => {
    const [serverPort, workerPort] = [await freePort(), await freePort()];
    const server = runInImage(SERVER_IMAGE, {
      ...(await serving()),
      SERVER_PORT: String(serverPort),
      HOST: '127.0.0.1',
    });
    const worker = runInImage(SERVER_IMAGE, { ...(await serving()), WORKER_PORT: String(workerPort) }, [
      'node',
      'dist/cmd/worker.js',
    ]);
    const auth = await bearer('admin@example.com', { admin: true });
    running.push(server, worker);
    const ready = await waitOk(`http://127.0.0.1:${serverPort}/health/ready`, server);
    const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
    assert.equal(report.status, 'ready');
    assert.equal(report.checks.database?.status, 'up');
    await waitOk(`http://127.0.0.1:${workerPort}/health/ready`, worker);
    // The two images' processes do real work together: a task submitted to the server, run by the worker.
    const submitted = await fetch(`http://127.0.0.1:${serverPort}/api/v1/tasks/delayed`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'echo', payload: { from: 'image' } }),
    });
    assert.equal(submitted.status, 202, await submitted.clone().text());
    const { id } = (await submitted.json()) as { id: string };
    await eventually(
      'the task ran on the worker from the image',
      async () => {
        const res = await fetch(`http://127.0.0.1:${serverPort}/api/v1/tasks/${id}`, { headers: auth });
        return ((await res.json()) as { status: string }).status;
      },
      { until: (status) => status === 'succeeded', intervalMs: 200 },
    ).catch((err: Error) => assert.fail(`${err.message}\nworker output:\n${worker.output()}`));
  });

  it('the client (its CMD) serves its pages and its public files', async () => {
    const port = await freePort();
    const client = runInImage(CLIENT_IMAGE, { PORT: String(port), HOSTNAME: '127.0.0.1' });
    running.push(client);
    const page = await waitOk(`http://127.0.0.1:${port}/profiles`, client);
    assert.match(await page.text(), /Profile Service/);
    const icon = await fetch(`http://127.0.0.1:${port}/favicon.svg`);
    assert.equal(icon.status, 200);
    assert.match(await icon.text(), /<svg/);
  });
});

function pinnedNode(): string {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.node;
}
