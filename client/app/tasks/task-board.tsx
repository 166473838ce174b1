'use client';

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Field } from '@/components/field';
import { Empty, Notice } from '@/components/states';
import { ApiError, api, FINISHED, formatTime, type Task } from '@/lib/api';

/** The task types the API accepts, with a payload to start from. */
const TYPES: Record<string, { summary: string; payload: unknown }> = {
  sleep: { summary: 'Waits a number of seconds', payload: { seconds: 3 } },
  echo: { summary: 'Returns its payload', payload: { hello: 'world' } },
  'profile.export': { summary: 'Exports a profile as JSON', payload: { profile_id: '' } },
  'profile.purge': {
    summary: 'Deletes a profile (cancellable while scheduled)',
    payload: { profile_id: '' },
  },
  'cache.warm': { summary: 'Loads the newest profiles into the cache', payload: { limit: 10 } },
};

const STORAGE_KEY = 'profile-service.tasks';
const POLL_MS = 500;

function TaskRow({ task, onCancel }: { task: Task; onCancel: (id: string) => void }) {
  const finished = FINISHED.includes(task.status);
  return (
    <tr>
      <td>
        <code title={task.id}>{task.id.slice(-12)}</code>
      </td>
      <td>{task.type}</td>
      <td>
        <span className={`badge badge-${task.status}`}>{task.status}</span>
        {task.error && <span className="field-error small"> {task.error}</span>}
      </td>
      <td>
        {task.attempts}/{task.max_attempts}
      </td>
      <td>{formatTime(task.run_at)}</td>
      <td>{formatTime(task.finished_at)}</td>
      <td className="result">
        {task.result !== null && task.result !== undefined ? <code>{JSON.stringify(task.result)}</code> : '—'}
      </td>
      <td>
        {!finished && task.status !== 'running' && (
          <button type="button" className="link danger" onClick={() => onCancel(task.id)}>
            Cancel<span className="visually-hidden"> task {task.id}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

export function TaskBoard() {
  const [type, setType] = useState('sleep');
  const [payload, setPayload] = useState(JSON.stringify(TYPES.sleep?.payload, null, 2));
  const [delay, setDelay] = useState('0');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [tasks, setTasks] = useState<Task[]>([]);

  // The tasks submitted from this browser survive a reload.
  useEffect(() => {
    const ids = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as string[];
    Promise.allSettled(ids.map((id) => api<Task>(`/api/v1/tasks/${id}`))).then((results) =>
      setTasks(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.data] : []))),
    );
  }, []);
  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tasks.slice(0, 50).map((t) => t.id)));
  }, [tasks]);

  // Live status: unfinished tasks are polled until they finish.
  const pending = tasks.filter((t) => !FINISHED.includes(t.status)).map((t) => t.id);
  const pendingKey = pending.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: pendingKey stands for pending
  useEffect(() => {
    if (pending.length === 0) return;
    const timer = setInterval(async () => {
      const fresh = await Promise.allSettled(pending.map((id) => api<Task>(`/api/v1/tasks/${id}`)));
      const byId = new Map(
        fresh.flatMap((r) => (r.status === 'fulfilled' ? [[r.value.data.id, r.value.data]] : [])),
      );
      setTasks((ts) => ts.map((t) => byId.get(t.id) ?? t));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pendingKey]);

  const chooseType = (next: string) => {
    setType(next);
    setPayload(JSON.stringify(TYPES[next]?.payload ?? {}, null, 2));
    setErrors({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(undefined);
    let parsed: unknown;
    try {
      parsed = payload.trim() ? JSON.parse(payload) : undefined;
    } catch {
      setErrors({ payload: 'is not valid JSON' });
      return;
    }
    const seconds = Number(delay || 0);
    if (!Number.isFinite(seconds) || seconds < 0) {
      setErrors({ delay: 'must be a number of seconds, 0 or more' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const { data } = await api<Task>('/api/v1/tasks/delayed', {
        method: 'POST',
        body: JSON.stringify({ type, ...(parsed === undefined ? {} : { payload: parsed }), delay: seconds }),
      });
      setTasks((ts) => [data, ...ts]);
      setMessage({ kind: 'success', text: `Task ${data.id.slice(-12)} ${data.status}.` });
    } catch (err) {
      const e2 = err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err));
      setErrors(e2.byField());
      setMessage({ kind: 'error', text: e2.message });
    } finally {
      setBusy(false);
    }
  };

  const cancel = useCallback(async (id: string) => {
    try {
      const { data } = await api<Task>(`/api/v1/tasks/${id}`, { method: 'DELETE' });
      setTasks((ts) => ts.map((t) => (t.id === id ? data : t)));
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  const payloadError = Object.entries(errors).find(([f]) => f.startsWith('payload'))?.[1];
  return (
    <>
      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading">Submit a task</h2>
        <form className="form" onSubmit={submit} noValidate>
          <Field id="task-type" label="Type" error={errors.type} hint={TYPES[type]?.summary}>
            {(a) => (
              <select {...a} value={type} onChange={(e) => chooseType(e.target.value)}>
                {Object.keys(TYPES).map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </Field>
          <Field id="task-payload" label="Payload (JSON)" error={payloadError}>
            {(a) => (
              <textarea
                {...a}
                className="code"
                rows={4}
                value={payload}
                onChange={(e) => setPayload(e.target.value)}
              />
            )}
          </Field>
          <Field id="task-delay" label="Delay (seconds)" error={errors.delay} hint="Up to 7 days">
            {(a) => (
              <input
                {...a}
                type="number"
                min={0}
                step="any"
                inputMode="decimal"
                value={delay}
                onChange={(e) => setDelay(e.target.value)}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Submitting…' : 'Submit task'}
            </button>
          </div>
        </form>
        {message && <Notice kind={message.kind}>{message.text}</Notice>}
      </section>

      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">Your tasks</h2>
        {tasks.length === 0 ? (
          <Empty>
            <p>No tasks submitted from this browser yet.</p>
          </Empty>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled
          <section className="table-scroll" tabIndex={0} aria-label="Your tasks (scrolls sideways)">
            <table className="tasks">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Runs at</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Result</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody aria-live="polite">
                {tasks.map((t) => (
                  <TaskRow key={t.id} task={t} onCancel={cancel} />
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </>
  );
}
