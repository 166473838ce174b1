import { describe } from 'node:test';
import type { TestDatabaseOpener } from '../kit/app.js';
import { idempotencyHarness } from './idempotency/harness.js';
import { refusalTests } from './idempotency/refusals.suite.js';
import { replayTests } from './idempotency/replay.suite.js';

/** Idempotency-Key on the creating POSTs, once per database engine. */
export function idempotencySuite(
  engine: string,
  database: TestDatabaseOpener,
  env: () => Record<string, string> = () => ({}),
) {
  describe(`Idempotency-Key on ${engine}`, () => {
    const h = idempotencyHarness(database, env);
    replayTests(h);
    refusalTests(h);
  });
}
