import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { TaskStatus } from '@/lib/api';

export type TaskFilters = { status: TaskStatus | ''; type: string };

export const TASK_STATUSES: readonly TaskStatus[] = [
  'scheduled',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
];

const isStatus = (s: string | null): s is TaskStatus => TASK_STATUSES.includes(s as TaskStatus);

/**
 * The task list's filters, mirrored into the URL (?status=&type=) so that a filtered view can be
 * shared. Held in state first: two changes in quick succession each build on the one before, where
 * the URL would not have caught up yet.
 */
export function useTaskFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setState] = useState<TaskFilters>(() => {
    const status = params.get('status');
    return { status: isStatus(status) ? status : '', type: params.get('type') ?? '' };
  });

  useEffect(() => {
    const sp = new URLSearchParams();
    if (filters.status) sp.set('status', filters.status);
    if (filters.type) sp.set('type', filters.type);
    router.replace(`${pathname}${sp.size ? `?${sp}` : ''}`, { scroll: false });
  }, [filters, router, pathname]);

  const setFilter = useCallback(
    <K extends keyof TaskFilters>(name: K, value: TaskFilters[K]) =>
      setState((f) => ({ ...f, [name]: value })),
    [],
  );

  return { filters, setFilter };
}
