import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api, asApiError, FINISHED, nextCursor, type Task } from '@/lib/api';
import type { TaskFilters } from './use-task-filters';

const PAGE_SIZE = 20;
const POLL_MS = 1_000;

const listed = (filters: TaskFilters, cursor?: string) =>
  api.get('/api/v1/tasks', {
    query: {
      limit: PAGE_SIZE,
      status: filters.status || undefined,
      type: filters.type || undefined,
      cursor,
    },
  });

const matches = (task: Task, f: TaskFilters) =>
  (!f.status || task.status === f.status) && (!f.type || task.type === f.type);

/**
 * The caller's tasks (everyone's, for an admin) matching the filters, newest first, a page at a
 * time from the API; the unfinished ones are read again until they finish.
 */
export function useTasks(filters: TaskFilters) {
  const [tasks, setTasks] = useState<Task[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const { status, type } = filters;

  useEffect(() => {
    let live = true;
    setTasks(undefined);
    setError(undefined);
    listed({ status, type })
      .then(({ data, headers }) => {
        if (!live) return;
        setTasks(data);
        setNext(nextCursor(headers));
      })
      .catch((err: unknown) => live && setError(asApiError(err)));
    return () => {
      live = false;
    };
  }, [status, type]);

  useUnfinishedPolling(tasks, setTasks);

  const more = async () => {
    if (!next) return;
    const { data, headers } = await listed({ status, type }, next);
    setTasks((ts) => [...(ts ?? []), ...data]);
    setNext(nextCursor(headers));
  };
  const add = useCallback(
    (task: Task) => {
      if (matches(task, { status, type })) setTasks((ts) => [task, ...(ts ?? [])]);
    },
    [status, type],
  );
  /** Cancels a task that has not started; rejects with the API's refusal. */
  const cancel = useCallback(async (id: string) => {
    const { data } = await api.delete('/api/v1/tasks/{id}', { path: { id } });
    setTasks((ts) => ts?.map((t) => (t.id === id ? data : t)));
  }, []);

  return { tasks, error, hasMore: Boolean(next), more, add, cancel };
}

function useUnfinishedPolling(
  tasks: Task[] | undefined,
  setTasks: (f: (ts?: Task[]) => Task[] | undefined) => void,
) {
  const pending = (tasks ?? []).filter((t) => !FINISHED.includes(t.status)).map((t) => t.id);
  const pendingKey = pending.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: pendingKey stands for pending
  useEffect(() => {
    if (pending.length === 0) return;
    const timer = setInterval(async () => {
      const fresh = await Promise.allSettled(
        pending.map((id) => api.get('/api/v1/tasks/{id}', { path: { id } })),
      );
      const byId = new Map(
        fresh.flatMap((r) => (r.status === 'fulfilled' ? [[r.value.data.id, r.value.data]] : [])),
      );
      setTasks((ts) => ts?.map((t) => byId.get(t.id) ?? t));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pendingKey]);
}
