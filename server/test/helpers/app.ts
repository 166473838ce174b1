import { buildApp } from '../../src/app.js';
import type { OpenDatabase } from '../../src/compose.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/telemetry/logger.js';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Builds the real app graph over the given database, as the server does, minus the listener. */
export async function startTestApp(opts: { openDatabase?: OpenDatabase; env?: Record<string, string> } = {}) {
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...opts.env,
  });
  const logger = createLogger({ level: config.logLevel, sync: true });
  const container = await compose({
    config,
    logger,
    defaultMetrics: false,
    ...(opts.openDatabase ? { openDatabase: opts.openDatabase } : {}),
  });
  const app = await buildApp(container);
  await app.ready();
  return {
    app,
    container,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

let counter = 0;
/** An email no other test has used, in any run. */
export const uniqueEmail = (tag = 'user') => `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
