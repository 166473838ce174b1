import { Field } from '@/components/field';
import { Notice } from '@/components/states';
import type { TaskFormState } from '@/lib/hooks/use-task-form';
import { isTaskType, TASK_TYPES } from './task-types';

/** Type (of those this person may submit), JSON payload and delay, with their errors beside them. */
export function TaskForm({ form }: { form: TaskFormState }) {
  const { type, errors, message, busy } = form;
  const payloadError = Object.entries(errors).find(([f]) => f.startsWith('payload'))?.[1];
  return (
    <section aria-labelledby="submit-heading">
      <h2 id="submit-heading">Submit a task</h2>
      <form className="form" onSubmit={form.submit} noValidate>
        <Field id="task-type" label="Task type" error={errors.type} hint={TASK_TYPES[type].summary}>
          {(a) => (
            <select
              {...a}
              value={type}
              onChange={(e) => isTaskType(e.target.value) && form.chooseType(e.target.value)}
            >
              {form.types.map((t) => (
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
              value={form.payload}
              onChange={(e) => form.setPayload(e.target.value)}
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
              value={form.delay}
              onChange={(e) => form.setDelay(e.target.value)}
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
  );
}
