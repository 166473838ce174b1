'use client';

import { useCallback } from 'react';
import { useTaskForm } from '@/lib/hooks/use-task-form';
import { useTasks } from '@/lib/hooks/use-tasks';
import { TaskForm } from './task-form';
import { TaskTable } from './task-table';
import { TASK_TYPES } from './task-types';

export function TaskBoard() {
  const { tasks, add, cancel } = useTasks();
  const form = useTaskForm(TASK_TYPES, add);
  const { setMessage } = form;
  const onCancel = useCallback(
    (id: string) =>
      void cancel(id).catch((err: unknown) =>
        setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) }),
      ),
    [cancel, setMessage],
  );

  return (
    <>
      <TaskForm form={form} />
      <TaskTable tasks={tasks} onCancel={onCancel} />
    </>
  );
}
