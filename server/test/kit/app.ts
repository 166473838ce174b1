import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import type { OpenDatabase } from '../../src/compose.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { ObjectStorage } from '../../src/storage/storage.js';
import { createLogger } from '../../src/telemetry/logger.js';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Builds the real app graph over the given database, as the server does, minus the listener. */
export async function startTestApp(
  opts: {
    openDatabase?: OpenDatabase;
    env?: Record<string, string>;
    wrapStorage?: (storage: ObjectStorage) => ObjectStorage;
  } = {},
) {
  // Media go to a directory of this app's own, removed on close, unless the test names one.
  const ownDataDir = opts.env?.DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'profile-test-'));
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    ...opts.env,
  });
  const logger = createLogger({ level: config.logLevel, sync: true });
  const container = await compose({
    config,
    logger,
    defaultMetrics: false,
    ...(opts.openDatabase ? { openDatabase: opts.openDatabase } : {}),
    ...(opts.wrapStorage ? { wrapStorage: opts.wrapStorage } : {}),
  });
  const app = await buildApp(container);
  await app.ready();
  return {
    app,
    container,
    async close() {
      await app.close();
      await container.close();
      if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** An email no other test has used, in any run. */
export const uniqueEmail = (tag = 'user') => `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
