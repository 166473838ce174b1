import { useCallback, useEffect, useState } from 'react';
import { api, FINISHED, type Task } from '@/lib/api';

const STORAGE_KEY = 'profile-service.tasks';
const POLL_MS = 500;

const read = (id: string) => api.get('/api/v1/tasks/{id}', { path: { id } });

/**
 * The tasks submitted from this browser, which survive a reload; the unfinished ones are polled
 * until they finish.
 */
export function useTasks() {
  const [tasks, setTasks] = useState<Task[]>([]);

  useEffect(() => {
    const ids = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as string[];
    Promise.allSettled(ids.map(read)).then((results) =>
      setTasks(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.data] : []))),
    );
  }, []);
  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tasks.slice(0, 50).map((t) => t.id)));
  }, [tasks]);

  const pending = tasks.filter((t) => !FINISHED.includes(t.status)).map((t) => t.id);
  const pendingKey = pending.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: pendingKey stands for pending
  useEffect(() => {
    if (pending.length === 0) return;
    const timer = setInterval(async () => {
      const fresh = await Promise.allSettled(pending.map(read));
      const byId = new Map(
        fresh.flatMap((r) => (r.status === 'fulfilled' ? [[r.value.data.id, r.value.data]] : [])),
      );
      setTasks((ts) => ts.map((t) => byId.get(t.id) ?? t));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pendingKey]);

  const add = useCallback((task: Task) => setTasks((ts) => [task, ...ts]), []);
  /** Cancels a task that has not started; rejects with the API's refusal. */
  const cancel = useCallback(async (id: string) => {
    const { data } = await api.delete('/api/v1/tasks/{id}', { path: { id } });
    setTasks((ts) => ts.map((t) => (t.id === id ? data : t)));
  }, []);

  return { tasks, add, cancel };
}
