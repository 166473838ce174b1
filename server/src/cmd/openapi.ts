// `npm run openapi -w server`: prints the OpenAPI document the API serves at /openapi.json, built from
// the route schemas, with nothing of its own to open: an in-memory database and a throwaway data
// directory. The client's types are generated from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { compose } from '../compose.js';
import { loadConfig } from '../config.js';
import { createPgliteDatabase } from '../db/pglite.js';
import { createLogger } from '../telemetry/logger.js';

const dataDir = mkdtempSync(join(tmpdir(), 'profile-openapi-'));
try {
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const logger = createLogger({ level: 'silent' });
  const container = await compose({
    config,
    logger,
    defaultMetrics: false,
    openDatabase: (observe) => createPgliteDatabase({ dataDir: undefined, observe }),
  });
  const app = await buildApp(container);
  await app.ready();
  process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
  await container.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
