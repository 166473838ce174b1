import { Type } from 'typebox';
import type { TaskType } from '../../src/tasks/task-type.js';

/** A handler that always throws: retried with a short backoff, then failed and dead-lettered. */
export const alwaysFails: TaskType = {
  name: 'test.always-fails',
  summary: 'Always throws (tests only)',
  payload: Type.Object({}),
  defaultPayload: {},
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
  submitters: 'admins',
  async run() {
    throw new Error('boom: this handler always fails');
  },
};
