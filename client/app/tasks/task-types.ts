import type { TaskType } from '@/lib/api';

/**
 * What the form says of each task type, with a payload to start from. Keyed by the API's own list of
 * types, so that a type added or removed on the server does not compile here until it is described.
 */
export const TASK_TYPES: Record<TaskType, { summary: string; payload: unknown }> = {
  sleep: { summary: 'Waits a number of seconds', payload: { seconds: 3 } },
  echo: { summary: 'Returns its payload', payload: { hello: 'world' } },
  'profile.export': { summary: 'Exports a profile as JSON', payload: { profile_id: '' } },
  'profile.purge': {
    summary: 'Deletes a profile (cancellable while scheduled)',
    payload: { profile_id: '' },
  },
  'cache.warm': { summary: 'Loads the newest profiles into the cache', payload: { limit: 10 } },
};

export const TASK_TYPE_NAMES = Object.keys(TASK_TYPES) as TaskType[];

export const isTaskType = (name: string): name is TaskType => Object.hasOwn(TASK_TYPES, name);
