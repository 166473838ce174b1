import { describe } from 'node:test';
import type { TestDatabaseOpener } from '../kit/app.js';
import { apiTests } from './tasks/api.suite.js';
import { handlerTests } from './tasks/handlers.suite.js';
import { tasksHarness } from './tasks/harness.js';
import { workerTests } from './tasks/worker.suite.js';

/** Delayed tasks on one engine: the API, the worker that runs them, and what each task type does. */
export function taskSuite(engine: string, database: TestDatabaseOpener) {
  describe(`tasks on ${engine}`, () => {
    const h = tasksHarness(database);
    apiTests(h);
    workerTests(h);
    handlerTests(h);
  });
}
