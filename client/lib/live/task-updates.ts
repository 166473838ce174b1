// How a task's change from the stream updates the task list. Pure. A task has no version: the
// later `updated_at` wins, so a late answer (a submission's, after its task already ran) is dropped.
import type { Task } from '@/lib/api';

const time = (iso: string) => Date.parse(iso);

/** Newest first, as the API lists them (created_at, then id, descending). */
const listedBefore = (a: Task, b: Task) =>
  time(a.created_at) > time(b.created_at) || (time(a.created_at) === time(b.created_at) && a.id > b.id);

/**
 * The list with `task` in it: replacing an older state of it, else (when `insert`) in its place;
 * not after the last one shown while older pages remain unread (it will come with them).
 */
export function withTask(tasks: Task[], task: Task, insert: boolean, moreToRead = false): Task[] {
  const i = tasks.findIndex((t) => t.id === task.id);
  const shown = tasks[i];
  if (shown) return time(task.updated_at) >= time(shown.updated_at) ? tasks.with(i, task) : tasks;
  if (!insert) return tasks;
  const at = tasks.findIndex((t) => listedBefore(task, t));
  if (at < 0) return moreToRead ? tasks : [...tasks, task];
  return tasks.toSpliced(at, 0, task);
}
