'use client';

import { useCallback } from 'react';
import { SignInPrompt } from '@/components/sign-in-prompt';
import { Empty, ErrorBox, Loading } from '@/components/states';
import { useTaskFilters } from '@/lib/hooks/use-task-filters';
import { useTaskForm } from '@/lib/hooks/use-task-form';
import { useTasks } from '@/lib/hooks/use-tasks';
import { useSession } from '@/lib/session-context';
import { TaskFilterBar } from './task-filter-bar';
import { TaskForm } from './task-form';
import { TaskTable } from './task-table';
import { examplePayload, submittableTypes, TASK_TYPE_NAMES } from './task-types';

export function TaskBoard() {
  const { user, me, meError } = useSession();
  if (!user) return <SignInPrompt>Sign in to see and submit your tasks.</SignInPrompt>;
  // What an ordinary user may submit depends on having a profile: wait to know.
  if (!user.admin && me === undefined && !meError) return <Loading />;
  return <SignedInBoard admin={user.admin} profileId={me?.id} />;
}

function SignedInBoard({ admin, profileId }: { admin: boolean; profileId: string | undefined }) {
  const { filters, setFilter } = useTaskFilters();
  const { tasks, error, hasMore, more, add, cancel } = useTasks(filters);
  const types = submittableTypes(admin, Boolean(profileId));
  const form = useTaskForm(types, (t) => examplePayload(t, profileId), add);
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
      {types.length > 0 ? (
        <TaskForm form={form} />
      ) : (
        <Empty>
          <p>Tasks act on a profile of your own: create your profile first, under “My profile”.</p>
        </Empty>
      )}
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">{admin ? 'All tasks' : 'Your tasks'}</h2>
        <TaskFilterBar filters={filters} types={admin ? TASK_TYPE_NAMES : types} onChange={setFilter} />
        {error && <ErrorBox error={error} />}
        {!error && !tasks && <Loading label="Loading tasks…" />}
        {tasks && (
          <TaskTable tasks={tasks} filtered={Boolean(filters.status || filters.type)} onCancel={onCancel} />
        )}
        {hasMore && (
          <button type="button" onClick={() => void more()}>
            Show older tasks
          </button>
        )}
      </section>
    </>
  );
}
