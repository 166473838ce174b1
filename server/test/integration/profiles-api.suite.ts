import { describe } from 'node:test';
import type { TestDatabaseOpener } from '../kit/app.js';
import { createTests } from './profiles-api/create.suite.js';
import { crossCuttingTests } from './profiles-api/cross-cutting.suite.js';
import { profilesHarness } from './profiles-api/harness.js';
import { listTests } from './profiles-api/list.suite.js';
import { readDeleteTests } from './profiles-api/read-delete.suite.js';
import { updateTests } from './profiles-api/update.suite.js';

/**
 * The profiles API contract, run once per database engine: real PostgreSQL and embedded PGlite must
 * behave identically. Each group of endpoints has a file of its own under profiles-api/.
 */
export function profileApiSuite(
  engine: string,
  database: TestDatabaseOpener,
  env: () => Record<string, string> = () => ({}),
) {
  describe(`profiles API on ${engine}`, () => {
    const h = profilesHarness(database, env);
    createTests(h);
    listTests(h);
    readDeleteTests(h);
    updateTests(h);
    crossCuttingTests(h);
  });
}
