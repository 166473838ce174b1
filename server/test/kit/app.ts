import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { buildApp } from '../../src/app.js';
import type { OpenDatabase } from '../../src/compose.js';
import { compose, openDatabase as openConfigured } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { Database, QueryObserver } from '../../src/db/database.js';
import type { ObjectStorage } from '../../src/storage/storage.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { adminToken, testIssuer } from './identity.js';
import type { Teardown } from './teardown.js';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A database made for one app (a fresh PostgreSQL database, an in-memory PGlite), removed after it. */
export type TestDatabaseOpener = (
  observe: QueryObserver,
) => Promise<{ db: Database; cleanup(): Promise<void> }>;

export type TestAppOptions = {
  openDatabase?: OpenDatabase;
  /** Like openDatabase, with a cleanup that close() runs once the app's own close is done. */
  testDatabase?: TestDatabaseOpener;
  env?: Record<string, string>;
  wrapStorage?: (storage: ObjectStorage) => ObjectStorage;
  /** Wraps the database the app opens from its env (not one given by openDatabase or testDatabase). */
  wrapDatabase?: (db: Database) => Database;
  /**
   * The Authorization a request without one gets: an admin's token (the default, for suites about
   * something other than access), or none (the suites about who may do what say it themselves).
   */
  caller?: 'admin' | 'as-given';
};

/** Builds the real app graph over the given database, as the server does, minus the listener. */
export async function startTestApp(opts: TestAppOptions = {}) {
  // Media go to a directory of this app's own, removed on close, unless the test names one.
  const ownDataDir = opts.env?.DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'profile-test-'));
  const issuer = await testIssuer();
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    // Suites about something else must not spend budgets; the rate-limit suites turn them on.
    RATE_LIMIT_ENABLED: 'false',
    ...issuer.env,
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    ...opts.env,
  });
  const logger = createLogger({ level: config.logLevel, sync: true });
  let cleanupDatabase: (() => Promise<void>) | undefined;
  const { wrapDatabase } = opts;
  const openDatabase: OpenDatabase | undefined = opts.testDatabase
    ? async (observe) => {
        const opened = await (opts.testDatabase as TestDatabaseOpener)(observe);
        cleanupDatabase = opened.cleanup;
        return opened.db;
      }
    : (opts.openDatabase ??
      (wrapDatabase && (async (observe) => wrapDatabase(await openConfigured(config, logger, observe)))));
  const container = await compose({
    config,
    logger,
    defaultMetrics: false,
    ...(openDatabase ? { openDatabase } : {}),
    ...(opts.wrapStorage ? { wrapStorage: opts.wrapStorage } : {}),
  });
  const app = await buildApp(container);
  await app.ready();
  withDefaultAuthorization(
    app,
    (opts.caller ?? 'admin') === 'admin' ? `Bearer ${await adminToken()}` : undefined,
  );
  return {
    app,
    container,
    async close() {
      await app.close();
      await container.close();
      await cleanupDatabase?.();
      if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}

const NO_AUTHORIZATION = 'test-kit: send no Authorization header';

/**
 * Headers for a request without any token, on an app whose requests get an admin's by default: what
 * an anonymous visitor sends (`headers: anonymous()`, or `anonymous({ 'if-none-match': '"1"' })`).
 */
export const anonymous = (headers: Record<string, string> = {}) => ({
  ...headers,
  authorization: NO_AUTHORIZATION,
});

/**
 * Gives `inject` calls that name no Authorization header the one given (when one is), and sends
 * none at all for those marked `anonymous()`.
 */
function withDefaultAuthorization(app: { inject: unknown }, authorization: string | undefined) {
  type Options = { headers?: Record<string, unknown> } & Record<string, unknown>;
  const inject = (app.inject as (opts?: Options) => unknown).bind(app);
  app.inject = (opts?: Options) => {
    if (!opts || typeof opts !== 'object') return inject(opts);
    const headers = { ...opts.headers };
    const named = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
    if (named !== undefined && headers[named] === NO_AUTHORIZATION) delete headers[named];
    else if (named === undefined && authorization !== undefined) headers.authorization = authorization;
    else return inject(opts);
    return inject({ ...opts, headers });
  };
}

/**
 * An app for one test, closed when that test ends, pass or fail: `const t = await testApp(ctx)`.
 * The teardown is registered on the test context (or a `teardown(ctx)` stack, when other things
 * must be released before the app), so the test body holds no try/finally.
 */
export async function testApp(ctx: Teardown, opts: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp(opts);
  ctx.after(() => t.close());
  return t;
}

/**
 * One app shared by the tests of the enclosing describe: started before its first test, closed
 * after its last. Call it inside the describe; the returned handle is usable from the tests on.
 * `opts` may be a function, for options only known once earlier hooks have run.
 */
export function suiteApp(
  opts: TestAppOptions | (() => TestAppOptions | Promise<TestAppOptions>) = {},
): TestApp {
  let started: TestApp | undefined;
  before(async () => {
    started = await startTestApp(typeof opts === 'function' ? await opts() : opts);
  });
  after(async () => {
    await started?.close();
  });
  const need = () => {
    if (!started) throw new Error('suiteApp: the app is not started (used outside a test?)');
    return started;
  };
  return {
    get app() {
      return need().app;
    },
    get container() {
      return need().container;
    },
    close: () => need().close(),
  };
}

let counter = 0;
/** An email no other test has used, in any run. */
export const uniqueEmail = (tag = 'user') => `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
