// `npm start`: builds the server and the web client once, then runs the API (with the worker
// in-process, on embedded defaults, and the development OpenID Provider unless AUTH_ISSUER names
// a real one) and the client side by side, prints where they are, and on Ctrl-C (or SIGTERM)
// stops both gracefully. Exits non-zero if either fails to start or dies.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { portProblems } from './lib/ports.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'client', 'package.json'));
const env = { ...process.env };
const serverPort = env.SERVER_PORT ?? '8080';
const workerPort = env.WORKER_PORT ?? '8081';
const clientPort = env.CLIENT_PORT ?? '3000';
const authPort = env.AUTH_PORT ?? '8082';
const embeddedIssuer = !env.AUTH_ISSUER;
env.NEXT_TELEMETRY_DISABLED = '1';
// The client's server signs people in at AUTH_ISSUER and passes the browser's API calls on to
// API_URL, both read when it runs. The API is given no AUTH_ISSUER unless one was set: without it,
// it runs the embedded provider, which must know the client's origins for its redirect URIs.
const clientEnv = {
  API_URL: env.API_URL ?? `http://localhost:${serverPort}`,
  AUTH_ISSUER: env.AUTH_ISSUER ?? `http://localhost:${authPort}`,
};
const apiEnv = {
  SERVER_PORT: serverPort,
  WORKER_PORT: workerPort,
  AUTH_PORT: authPort,
  AUTH_DEV_WEB_ORIGINS:
    env.AUTH_DEV_WEB_ORIGINS ?? `http://localhost:${clientPort},http://127.0.0.1:${clientPort}`,
};

const say = (msg) => console.log(`[start] ${msg}`);

const problems = await portProblems({
  SERVER_PORT: serverPort,
  WORKER_PORT: workerPort,
  CLIENT_PORT: clientPort,
  ...(embeddedIssuer ? { AUTH_PORT: authPort } : {}),
});
if (problems.length > 0) {
  for (const p of problems) say(p);
  process.exit(1);
}

say('building the server and the web client…');
execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, env, stdio: 'inherit' });
execFileSync('npm', ['run', 'build', '-w', 'client'], { cwd: root, env, stdio: 'inherit' });

const children = [];
function run(name, args, cwd, extraEnv) {
  const child = spawn(process.execPath, args, { cwd, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  child.name = name;
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  const exited = children.map((c) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)),
  );
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children) c.kill('SIGKILL');
  }, 15_000);
  await Promise.all(exited);
  clearTimeout(timer);
  say('stopped');
  process.exit(code);
}
// Ctrl-C reaches the children too (same process group); they shut down gracefully on it.
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

run(
  'API + worker',
  // The embedded PGlite's wasm-to-JS wrappers never tier up: V8 was seen aborting while freeing one.
  [
    '--wasm-wrapper-tiering-budget=2147483647',
    '--import',
    './server/dist/telemetry/tracing.js',
    'server/dist/cmd/dev.js',
  ],
  root,
  apiEnv,
);
run(
  'web client',
  [require.resolve('next/dist/bin/next'), 'start', '--port', clientPort],
  join(root, 'client'),
  clientEnv,
);

async function waitFor(url, what) {
  for (let i = 0; i < 240 && !stopping; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  if (!stopping) {
    say(`${what} did not come up at ${url}`);
    await stop(1);
  }
}

await Promise.all([
  waitFor(`http://localhost:${serverPort}/health/ready`, 'the API'),
  waitFor(`http://localhost:${workerPort}/health`, 'the worker'),
  waitFor(`http://localhost:${clientPort}/profiles`, 'the web client'),
  waitFor(`${clientEnv.AUTH_ISSUER}/.well-known/openid-configuration`, 'the identity provider'),
]);
if (!stopping) {
  console.log(`
  Profile Service is running (embedded: PGlite, in-process cache and queue, data under ${env.DATA_DIR ?? './data'})

    Web client   http://localhost:${clientPort}
    API          http://localhost:${serverPort}/api/v1/profiles   (docs: http://localhost:${serverPort}/docs)
    Worker       http://localhost:${workerPort}/health/ready      (metrics: http://localhost:${workerPort}/metrics)
    Sign-in      ${clientEnv.AUTH_ISSUER}${embeddedIssuer ? `   (development only: any email, no password; ${env.AUTH_DEV_ADMIN_EMAIL ?? 'admin@example.com'} is the admin)` : ''}

  Press Ctrl-C to stop.
`);
}
