'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ProfileForm } from '@/components/profile-form';
import { Notice } from '@/components/states';
import { type ApiError, api, asApiError, type ProfileFields } from '@/lib/api';

export default function NewProfilePage() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (fields: ProfileFields) => {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await api.post('/api/v1/profiles', { body: fields });
      router.push(`/profiles/${data.id}?created=1`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        <Link href="/profiles">← All profiles</Link>
      </p>
      <h1>New profile</h1>
      {error && (
        <Notice kind="error">
          {error.errors.length > 0 ? 'Please correct the fields marked below.' : error.message}
        </Notice>
      )}
      <ProfileForm
        initial={{ name: '', email: '', bio: '' }}
        errors={error?.byField() ?? {}}
        busy={busy}
        submitLabel="Create profile"
        onSubmit={create}
      />
    </>
  );
}
