'use client';

import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import type { ProfileFields } from '@/lib/api';

/** Name, email and bio, with the API's field errors shown beside their inputs. */
export function ProfileForm({
  initial,
  errors,
  busy,
  submitLabel,
  onSubmit,
  onChange,
  children,
}: {
  initial: ProfileFields;
  errors: Record<string, string>;
  busy: boolean;
  submitLabel: string;
  onSubmit: (fields: ProfileFields) => void;
  /** Each edit, as the fields now are. */
  onChange?: (fields: ProfileFields) => void;
  children?: React.ReactNode;
}) {
  const [fields, setFields] = useState(initial);
  const set = (key: keyof ProfileFields) => (e: { target: { value: string } }) => {
    const next = { ...fields, [key]: e.target.value };
    setFields(next);
    onChange?.(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(fields);
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field id="name" label="Name" error={errors.name} hint="1–100 characters">
        {(a) => (
          <input {...a} value={fields.name} onChange={set('name')} maxLength={100} autoComplete="name" />
        )}
      </Field>
      <Field id="email" label="Email" error={errors.email} hint="Unique, case-insensitively">
        {(a) => (
          <input {...a} type="email" value={fields.email} onChange={set('email')} autoComplete="email" />
        )}
      </Field>
      <Field id="bio" label="Bio" error={errors.bio} hint={`${fields.bio.length}/1000 characters`}>
        {(a) => <textarea {...a} value={fields.bio} onChange={set('bio')} rows={4} maxLength={1000} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
}
