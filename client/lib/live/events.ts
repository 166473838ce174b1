// What GET /api/v1/events sends. The OpenAPI document describes the stream but not its events, so
// their data is typed here from the schemas it shares with the REST answers.
import type { Profile, Task, TaskStatus } from '@/lib/api';

/** A profile's public fields as changed (never its email), and when. */
export type ProfileChange = Omit<Profile, 'email'> & { time: string };
export type ProfileDeletion = Pick<Profile, 'id' | 'version'> & { time: string };

type TaskEvents = { [S in TaskStatus as `task.${S}`]: Task };

export type LiveEvents = {
  'profile.created': ProfileChange;
  'profile.updated': ProfileChange;
  'profile.deleted': ProfileDeletion;
} & TaskEvents;

export type LiveEventName = keyof LiveEvents;

/** One event as the page receives it: its name, its data and its number in the stream. */
export type LiveEvent<N extends LiveEventName = LiveEventName> = {
  [K in N]: { name: K; data: LiveEvents[K]; id: string };
}[N];

export const PROFILE_EVENTS = ['profile.created', 'profile.updated', 'profile.deleted'] as const;

// Every status the API has, so that a status added there is listened to here once the types say so.
const TASK_STATUS_NAMES: Record<TaskStatus, true> = {
  scheduled: true,
  queued: true,
  running: true,
  succeeded: true,
  failed: true,
  cancelled: true,
};

export const TASK_EVENTS = (Object.keys(TASK_STATUS_NAMES) as TaskStatus[]).map((s) => `task.${s}` as const);

/** EventSource dispatches named events only to listeners of that name: there is no wildcard. */
export const LIVE_EVENT_NAMES: readonly LiveEventName[] = [...PROFILE_EVENTS, ...TASK_EVENTS];
