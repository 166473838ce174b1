import type { ValidateFunction } from 'ajv';
import type { SubmitInput, Task, TaskListQuery } from '../api/schemas/task.js';
import { isAdmin, type Principal, type User } from '../auth/principal.js';
import { ERRORS } from '../errors.js';
import { decodeCursor, keysetPage } from '../lib/cursor.js';
import { parseDuration } from '../lib/duration.js';
import { isUuid, newId } from '../lib/ids.js';
import { createAjv, describe, fieldErrors } from '../lib/validator.js';
import type { Seal } from '../repository/idempotency.js';
import type { ProfileRepository } from '../repository/profiles.js';
import type { TaskRepository } from '../repository/tasks.js';
import type { TaskMetrics } from '../telemetry/metrics.js';
import { DEFAULT_TASK_TYPE, PUBLIC_TASK_TYPES } from './registry.js';
import type { TaskType } from './task-type.js';

export const MAX_DELAY_MS = 7 * 86_400_000;
const DEFAULT_PAGE_SIZE = 20;

type Deps = {
  repo: Pick<TaskRepository, 'insert' | 'findById' | 'cancel' | 'list'>;
  profiles: Pick<ProfileRepository, 'findById'>;
  types: ReadonlyMap<string, TaskType>;
  metrics: Pick<TaskMetrics, 'submitted'>;
  clock?: () => Date;
};

/** A delay without a unit is seconds, whether sent as a number or as a numeric string. */
const BARE_NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

function delayMs(delay: number | string | undefined): number {
  if (delay === undefined) return 0;
  const seconds = typeof delay === 'number' ? delay : BARE_NUMBER.test(delay) ? Number(delay) : undefined;
  const ms = seconds !== undefined ? seconds * 1000 : parseDuration(delay as string);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
    throw ERRORS.validationFailed(
      'delay must be seconds (a number) or a duration such as 30s or 5m, at most 7 days',
      [{ field: 'delay', message: 'seconds or a duration, between 0 and 7 days' }],
    );
  }
  return Math.round(ms);
}

function userOf(viewer: Principal): User {
  if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
  return viewer;
}

/** Whose tasks a caller sees: its own, or everyone's (null) for an admin. */
const scopeOf = (viewer: Principal): string | null => (isAdmin(viewer) ? null : userOf(viewer).sub);

export function createTaskService({ repo, profiles, types, metrics, clock = () => new Date() }: Deps) {
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>(
    [...types].map(([name, t]) => [name, ajv.compile(t.payload)]),
  );

  function typeOf(name: string): { type: TaskType; validate: ValidateFunction } {
    const type = types.get(name);
    const validate = validators.get(name);
    if (!type || !validate || type.internal) {
      const known = PUBLIC_TASK_TYPES.join(', ');
      throw ERRORS.validationFailed(`unknown task type "${name}"; known types: ${known}`, [
        { field: 'type', message: `must be one of: ${known}` },
      ]);
    }
    return { type, validate };
  }

  /** Admins submit anything; others only a task on a profile they own. */
  async function authorise(user: User, type: TaskType, payload: Record<string, unknown>) {
    if (user.admin) return;
    if (type.submitters === 'admins') throw ERRORS.forbidden(`Only admins may submit ${type.name} tasks`);
    const profile = await profiles.findById(String(payload.profile_id));
    if (profile?.owner !== user.sub) {
      throw ERRORS.forbidden(`${type.name} may be submitted only for a profile you own`);
    }
  }

  return {
    /** Stores the task (the outbox): accepting it never needs the broker. */
    async submit(viewer: Principal, input: SubmitInput, seal?: Seal<Task>): Promise<Task> {
      const user = userOf(viewer);
      const name = input.type ?? DEFAULT_TASK_TYPE;
      const { type, validate } = typeOf(name);
      const payload = structuredClone(input.payload ?? type.defaultPayload);
      if (!validate(payload)) {
        const errors = fieldErrors(validate.errors, { prefix: 'payload', whole: 'payload' });
        throw ERRORS.validationFailed(describe(errors), errors);
      }
      // PostgreSQL's jsonb cannot hold the NUL character, in a key or a value.
      if (JSON.stringify(payload).includes('\\u0000')) {
        throw ERRORS.validationFailed('payload must not contain the NUL character', [
          { field: 'payload', message: 'must not contain the NUL character (\\u0000)' },
        ]);
      }
      await authorise(user, type, payload);
      const now = clock();
      const task = await repo.insert(
        {
          id: newId(),
          type: name,
          payload,
          maxAttempts: type.retry.maxAttempts,
          runAt: new Date(now.getTime() + delayMs(input.delay)),
          now,
          submittedBy: user.sub,
        },
        seal,
      );
      metrics.submitted.inc({ type: name });
      return task;
    },

    /** A task of the caller's (any, for an admin); anyone else's is 404: no hint that it exists. */
    async get(viewer: Principal, id: string): Promise<Task> {
      const scope = scopeOf(viewer);
      const task = isUuid(id) ? await repo.findById(id, scope) : undefined;
      if (!task) throw ERRORS.notFound('task');
      return task;
    },

    /** Cancels a task that has not started; 409 once it runs or has finished. */
    async cancel(viewer: Principal, id: string): Promise<Task> {
      const scope = scopeOf(viewer);
      if (!isUuid(id)) throw ERRORS.notFound('task');
      const cancelled = await repo.cancel(id, clock(), scope);
      if (cancelled) return cancelled;
      const task = await repo.findById(id, scope);
      if (!task) throw ERRORS.notFound('task');
      throw ERRORS.conflict(`task is ${task.status}; only scheduled or queued tasks can be cancelled`);
    },

    /** The caller's tasks (everyone's for an admin), newest first, a page at a time. */
    async list(
      viewer: Principal,
      query: TaskListQuery,
    ): Promise<{ items: Task[]; next: string | undefined }> {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await repo.list({
        submitter: scopeOf(viewer),
        limit: limit + 1,
        after,
        status: query.status,
        type: query.type,
      });
      return keysetPage(rows, limit);
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
