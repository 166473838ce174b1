// The stack the browser tests drive: the API (embedded: PGlite, in-process cache and worker, and the
// development OpenID Provider) and a production build of the client, each its own process on free
// ports, configured as `npm start` configures them.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, type Started, startNode } from '../helpers';

export const CLIENT = fileURLToPath(new URL('../..', import.meta.url));
export const ROOT = join(CLIENT, '..');
const NEXT = createRequire(join(CLIENT, 'package.json')).resolve('next/dist/bin/next');

export type Stack = {
  api: string;
  web: string;
  issuer: string;
  /** The client's SESSION_SECRET: the tests read and forge session cookies with it. */
  sessionSecret: string;
  stop(): Promise<void>;
};

async function waitFor(url: string, proc: Started) {
  for (let i = 0; i < 240; i++) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} did not answer at ${url}:\n${proc.output()}`);
}

let built = false;

/** The client's production build, made once for all the stacks of a run: it holds no addresses. */
function buildOnce() {
  if (built) return;
  execFileSync(process.execPath, [NEXT, 'build'], {
    cwd: CLIENT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  built = true;
}

/** `apiEnv` adds to (or overrides) the API's environment, e.g. a short AUTH_DEV_ACCESS_TOKEN_TTL. */
export async function startStack(apiEnv: Record<string, string> = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'e2e-'));
  const [apiPort, workerPort, authPort, webPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const api = `http://127.0.0.1:${apiPort}`;
  const web = `http://127.0.0.1:${webPort}`;
  // The embedded provider names itself by localhost, as `npm start` runs it.
  const issuer = `http://localhost:${authPort}`;
  const sessionSecret = `e2e-session-secret-${Date.now()}-0123456789abcdef`;
  buildOnce();
  const server = startNode('API', ['--import', 'tsx', 'src/cmd/dev.ts'], {
    cwd: join(ROOT, 'server'),
    env: {
      SERVER_PORT: String(apiPort),
      WORKER_PORT: String(workerPort),
      AUTH_PORT: String(authPort),
      AUTH_DEV_WEB_ORIGINS: web,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      TASK_POLL_INTERVAL: '100ms',
      ...apiEnv,
    },
  });
  const client = startNode('client', [NEXT, 'start', '--port', String(webPort), '--hostname', '127.0.0.1'], {
    cwd: CLIENT,
    env: { NEXT_TELEMETRY_DISABLED: '1', API_URL: api, AUTH_ISSUER: issuer, SESSION_SECRET: sessionSecret },
  });
  const procs = [server, client];
  const stop = async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => (p.child.exitCode === null ? new Promise((r) => p.child.once('exit', r)) : null)),
    );
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([
      waitFor(`${api}/health/ready`, server),
      waitFor(`${issuer}/.well-known/openid-configuration`, server),
      waitFor(`${web}/profiles`, client),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { api, web, issuer, sessionSecret, stop };
}

/** An access token for a development account, from the provider's development-only grant. */
export async function tokenFor(issuer: string, email: string): Promise<string> {
  const basic = Buffer.from('profile-dev-token:development-only').toString('base64');
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'urn:profile-service:dev-token', email }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A call straight to the API (not through the client), as the holder of `token`. */
export async function apiCall<T = unknown>(
  api: string,
  path: string,
  init: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
