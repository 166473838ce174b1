// Every task type the service knows, in one list: the API accepts the public ones (their names are
// the `type` enum of the submit schema, and so of the client's types), the worker runs them all.
import { cacheWarmTask } from './handlers/cache-warm.js';
import { echoTask } from './handlers/echo.js';
import { profileExportTask } from './handlers/profile-export.js';
import { profilePurgeTask } from './handlers/profile-purge.js';
import { sleepTask } from './handlers/sleep.js';
import { mediaDeleteTask } from './media-delete.js';
import type { TaskType, TaskUnit } from './task-type.js';

const UNITS = [sleepTask, echoTask, profileExportTask, profilePurgeTask, cacheWarmTask, mediaDeleteTask];

/** What the handlers need, all together; each unit takes its own part. */
export type TaskDeps = Parameters<typeof profileExportTask.handler>[0] &
  Parameters<typeof profilePurgeTask.handler>[0] &
  Parameters<typeof cacheWarmTask.handler>[0] &
  Parameters<typeof mediaDeleteTask.handler>[0];

/** The task types a client may submit, in the order the API lists them. */
export const PUBLIC_TASK_TYPES: readonly string[] = UNITS.filter((u) => !u.internal).map((u) => u.name);

/** The default when a submission names no type. */
export const DEFAULT_TASK_TYPE = sleepTask.name;

export function createTaskTypes(deps: TaskDeps): Map<string, TaskType> {
  return new Map(
    (UNITS as TaskUnit<TaskDeps>[]).map(({ handler, ...unit }) => [
      unit.name,
      { ...unit, run: handler(deps) },
    ]),
  );
}
