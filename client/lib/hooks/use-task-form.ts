import { type FormEvent, useRef, useState } from 'react';
import { api, asApiError, type Task, type TaskSubmission, type TaskType } from '@/lib/api';
import { actionKeys } from '@/lib/idempotency';

export type Message = { kind: 'success' | 'error'; text: string };

/** The payload shown for a type, as the text of the payload field. */
const payloadText = (payload: unknown) => JSON.stringify(payload, null, 2);

/** The form's text as a submission, or the errors that keep it from being one. */
function toSubmission(
  type: TaskType,
  payload: string,
  delay: string,
): { body: TaskSubmission } | { errors: Record<string, string> } {
  let parsed: unknown;
  try {
    parsed = payload.trim() ? JSON.parse(payload) : undefined;
  } catch {
    return { errors: { payload: 'is not valid JSON' } };
  }
  const seconds = Number(delay || 0);
  if (!Number.isFinite(seconds) || seconds < 0)
    return { errors: { delay: 'must be a number of seconds, 0 or more' } };
  // Any JSON goes as the payload: the API checks it against the type's schema, and says why not.
  const body = { type, ...(parsed === undefined ? {} : { payload: parsed }), delay: seconds };
  return { body: body as TaskSubmission };
}

/**
 * The submit form's fields for the types offered (the first chosen to begin with), checked before
 * they are sent (the payload must be JSON, the delay a number of seconds); the API's field errors
 * come back beside the fields.
 */
export function useTaskForm(
  types: readonly TaskType[],
  example: (type: TaskType) => unknown,
  onSubmitted: (task: Task) => void,
) {
  const first = types[0] ?? 'profile.export';
  const [type, setType] = useState<TaskType>(first);
  const [payload, setPayload] = useState(() => payloadText(example(first)));
  const [delay, setDelay] = useState('0');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message | undefined>();
  const [busy, setBusy] = useState(false);
  // Submitting the same task again after a lost answer is the same submission: the API replays it.
  const keys = useRef(actionKeys()).current;

  const chooseType = (next: TaskType) => {
    setType(next);
    setPayload(payloadText(example(next)));
    setErrors({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(undefined);
    const checked = toSubmission(type, payload, delay);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    const key = keys.keyFor(JSON.stringify(checked.body));
    try {
      const { data, status } = await api.post('/api/v1/tasks/delayed', {
        body: checked.body,
        headers: { 'idempotency-key': key },
      });
      keys.answered(status);
      onSubmitted(data);
      setMessage({ kind: 'success', text: `Task ${data.id.slice(-12)} ${data.status}.` });
    } catch (err) {
      const problem = asApiError(err);
      keys.answered(problem.status, problem.code);
      setErrors(problem.byField());
      setMessage({ kind: 'error', text: problem.message });
    } finally {
      setBusy(false);
    }
  };

  return {
    types,
    type,
    payload,
    delay,
    errors,
    message,
    busy,
    chooseType,
    setPayload,
    setDelay,
    setMessage,
    submit,
  };
}

export type TaskFormState = ReturnType<typeof useTaskForm>;
