import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { TaskBoard } from './task-board';

export const metadata: Metadata = { title: 'Tasks' };

export default function TasksPage() {
  return (
    <>
      <h1>Tasks</h1>
      <p className="muted">
        Tasks run in the background worker, now or after a delay. Their status updates here as it changes.
      </p>
      <Suspense fallback={<Loading />}>
        <TaskBoard />
      </Suspense>
    </>
  );
}
