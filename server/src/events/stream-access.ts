import { isAdmin, type Principal } from '../auth/principal.js';
import type { StreamedEvent } from '../repository/outbox.js';
import { TASK_EVENT_AUDIENCE } from './task-events.js';

/**
 * What one subscriber of the stream receives of an event, or nothing: profile events go to
 * everyone (they carry public fields only); a task's events to its submitter and admins, without
 * the submitter's identifier.
 */
export function eventFor(viewer: Principal, event: StreamedEvent): Record<string, unknown> | undefined {
  if (!event.routing_key.startsWith('task.')) return event.payload;
  const { [TASK_EVENT_AUDIENCE]: audience, ...task } = event.payload;
  if (isAdmin(viewer)) return task;
  return viewer.kind === 'user' && audience === viewer.sub ? task : undefined;
}
