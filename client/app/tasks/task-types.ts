import type { TaskType } from '@/lib/api';

type Described = {
  summary: string;
  payload: unknown;
  /** Who the API lets submit it: admins only, or also the owner of the profile it names. */
  submitters: 'admins' | 'profile-owner';
};

/**
 * What the form says of each task type, with a payload to start from. Keyed by the API's own list of
 * types, so that a type added or removed on the server does not compile here until it is described.
 */
export const TASK_TYPES: Record<TaskType, Described> = {
  sleep: { summary: 'Waits a number of seconds', payload: { seconds: 3 }, submitters: 'admins' },
  echo: { summary: 'Returns its payload', payload: { hello: 'world' }, submitters: 'admins' },
  'profile.export': {
    summary: 'Exports a profile as JSON; the result links to the export',
    payload: { profile_id: '' },
    submitters: 'profile-owner',
  },
  'profile.purge': {
    summary: 'Deletes a profile (cancellable while scheduled)',
    payload: { profile_id: '' },
    submitters: 'profile-owner',
  },
  'cache.warm': {
    summary: 'Loads the newest profiles into the cache',
    payload: { limit: 10 },
    submitters: 'admins',
  },
};

export const TASK_TYPE_NAMES = Object.keys(TASK_TYPES) as TaskType[];

export const isTaskType = (name: string): name is TaskType => Object.hasOwn(TASK_TYPES, name);

/**
 * The types this person may submit: all of them for an admin; for anyone else those acting on a
 * profile of their own, and only once they have one.
 */
export function submittableTypes(admin: boolean, hasProfile: boolean): TaskType[] {
  if (admin) return TASK_TYPE_NAMES;
  return hasProfile ? TASK_TYPE_NAMES.filter((t) => TASK_TYPES[t].submitters === 'profile-owner') : [];
}

/** The example payload, naming the person's own profile where a type wants one. */
export function examplePayload(type: TaskType, profileId: string | undefined): unknown {
  const payload = TASK_TYPES[type].payload;
  return profileId && payload && typeof payload === 'object' && 'profile_id' in payload
    ? { ...payload, profile_id: profileId }
    : payload;
}
