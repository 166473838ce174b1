import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api, asApiError, nextCursor, type Task } from '@/lib/api';
import { TASK_EVENTS } from '@/lib/live/events';
import { useLive } from '@/lib/live/live-context';
import { withTask } from '@/lib/live/task-updates';
import { useLiveState } from '@/lib/live/use-live-state';
import type { TaskFilters } from './use-task-filters';

const PAGE_SIZE = 20;

const listed = ({ status, type }: TaskFilters, cursor?: string) =>
  api.get('/api/v1/tasks', {
    query: { limit: PAGE_SIZE, status: status || undefined, type: type || undefined, cursor },
  });

const matches = (task: Task, f: TaskFilters) =>
  (!f.status || task.status === f.status) && (!f.type || task.type === f.type);

const mergeAll = (shown: Task[], read: Task[]) => read.reduce((all, t) => withTask(all, t, true), shown);

/**
 * The caller's tasks (everyone's, for an admin) matching the filters, newest first, a page at a
 * time from the API; kept current by the event stream (the API sends a task's changes to its
 * submitter and to admins), never by asking again.
 */
export function useTasks(filters: TaskFilters) {
  const pages = useTaskPages(filters);
  const { list, setTasks } = pages;
  // A task that no longer matches the filters (one cancelled under "scheduled") stays, changed: it
  // does not vanish under the pointer. New ones enter when they match.
  useLive(TASK_EVENTS, ({ data }) => list.event(data), pages.resync);

  const { status, type } = filters;
  const add = useCallback(
    (task: Task) => {
      if (matches(task, { status, type })) setTasks((ts) => withTask(ts ?? [], task, true));
    },
    [status, type, setTasks],
  );
  /** Cancels a task that has not started; rejects with the API's refusal. */
  const cancel = useCallback(
    async (id: string) => {
      const { data } = await api.delete('/api/v1/tasks/{id}', { path: { id } });
      setTasks((ts) => ts && withTask(ts, data, false));
    },
    [setTasks],
  );

  return { tasks: list.state, error: pages.error, hasMore: pages.hasMore, more: pages.more, add, cancel };
}

/** The pages read so far, read again (merged in) on a resync. */
function useTaskPages(filters: TaskFilters) {
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const list = useLiveState((ts: Task[], t: Task) => withTask(ts, t, matches(t, filters), Boolean(next)));
  const { reading, failed, setState: setTasks } = list;
  // Counts the filters' changes: a read asked for other filters is dropped.
  const shown = useRef(0);
  const { status, type } = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `list.read` applies what was held; the filters say when to read
  useEffect(() => {
    let live = true;
    shown.current += 1;
    reading();
    setError(undefined);
    listed({ status, type })
      .then(({ data, headers }) => {
        if (!live) return;
        list.read(data);
        setNext(nextCursor(headers));
      })
      .catch((err: unknown) => {
        if (!live) return;
        failed();
        setError(asApiError(err));
      });
    return () => {
      live = false;
    };
  }, [status, type]);

  // The first page again, merged in: nothing blinks, and what an event brought further stays.
  const resync = () => {
    const asked = shown.current;
    listed({ status, type })
      .then(({ data }) => shown.current === asked && setTasks((ts) => ts && mergeAll(ts, data)))
      .catch(() => {});
  };
  const more = async () => {
    if (!next) return;
    const { data, headers } = await listed({ status, type }, next);
    setTasks((ts) => mergeAll(ts ?? [], data));
    setNext(nextCursor(headers));
  };

  return { list, setTasks, error, hasMore: Boolean(next), resync, more };
}
