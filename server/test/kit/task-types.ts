import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { TaskRepository } from '../../src/repository/tasks.js';
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

/**
 * A task of `alwaysFails`, inserted as the service would (it is not a public type), due now, to be
 * attempted three times.
 */
export const insertAlwaysFails = (repo: Pick<TaskRepository, 'insert'>, id: string = randomUUID()) =>
  repo.insert({
    id,
    type: alwaysFails.name,
    payload: {},
    maxAttempts: 3,
    runAt: new Date(),
    now: new Date(),
    submittedBy: null,
  });
