import type { ValidateFunction } from 'ajv';
import type { SubmitInput } from '../api/schemas/task.js';
import { ERRORS } from '../errors.js';
import { parseDuration } from '../lib/duration.js';
import { isUuid, newId } from '../lib/ids.js';
import { createAjv, describe, fieldErrors } from '../lib/validator.js';
import type { Task, TaskRepository } from '../repository/tasks.js';
import type { TaskMetrics } from '../telemetry/metrics.js';
import { DEFAULT_TASK_TYPE, PUBLIC_TASK_TYPES } from './registry.js';
import type { TaskType } from './task-type.js';

export const MAX_DELAY_MS = 7 * 86_400_000;

type Deps = {
  repo: Pick<TaskRepository, 'insert' | 'findById' | 'cancel'>;
  types: ReadonlyMap<string, TaskType>;
  metrics: Pick<TaskMetrics, 'submitted'>;
  clock?: () => Date;
};

function delayMs(delay: number | string | undefined): number {
  if (delay === undefined) return 0;
  const ms = typeof delay === 'number' ? delay * 1000 : parseDuration(delay);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
    throw ERRORS.validationFailed(
      'delay must be seconds (a number) or a duration such as 30s or 5m, at most 7 days',
      [{ field: 'delay', message: 'seconds or a duration, between 0 and 7 days' }],
    );
  }
  return Math.round(ms);
}

export function createTaskService({ repo, types, metrics, clock = () => new Date() }: Deps) {
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>(
    [...types].map(([name, t]) => [name, ajv.compile(t.payload)]),
  );

  return {
    /** Stores the task (the outbox): accepting it never needs the broker. */
    async submit(input: SubmitInput): Promise<Task> {
      const name = input.type ?? DEFAULT_TASK_TYPE;
      const type = types.get(name);
      const validate = validators.get(name);
      if (!type || !validate || type.internal) {
        const known = PUBLIC_TASK_TYPES.join(', ');
        throw ERRORS.validationFailed(`unknown task type "${name}"; known types: ${known}`, [
          { field: 'type', message: `must be one of: ${known}` },
        ]);
      }
      const payload = structuredClone(input.payload ?? type.defaultPayload);
      if (!validate(payload)) {
        const errors = fieldErrors(validate.errors, { prefix: 'payload', whole: 'payload' });
        throw ERRORS.validationFailed(describe(errors), errors);
      }
      const now = clock();
      const task = await repo.insert({
        id: newId(),
        type: name,
        payload,
        maxAttempts: type.retry.maxAttempts,
        runAt: new Date(now.getTime() + delayMs(input.delay)),
        now,
      });
      metrics.submitted.inc({ type: name });
      return task;
    },

    async get(id: string): Promise<Task> {
      const task = isUuid(id) ? await repo.findById(id) : undefined;
      if (!task) throw ERRORS.notFound('task');
      return task;
    },

    /** Cancels a task that has not started; 409 once it runs or has finished. */
    async cancel(id: string): Promise<Task> {
      if (!isUuid(id)) throw ERRORS.notFound('task');
      const cancelled = await repo.cancel(id, clock());
      if (cancelled) return cancelled;
      const task = await repo.findById(id);
      if (!task) throw ERRORS.notFound('task');
      throw ERRORS.conflict(`task is ${task.status}; only scheduled or queued tasks can be cancelled`);
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
