'use client';

import { ProfileForm } from '@/components/profile-form';
import { FormErrorNotice } from '@/components/states';
import type { ProfileFields } from '@/lib/api';
import { useCreateProfile } from '@/lib/hooks/use-create-profile';

/** The form that creates a profile, with the API's refusal above it and its field errors beside. */
export function CreateProfile({
  initial,
  owner,
  onCreated,
}: {
  initial: ProfileFields;
  owner?: string;
  onCreated?: () => void;
}) {
  const { busy, error, create } = useCreateProfile(onCreated);
  return (
    <>
      {error && <FormErrorNotice error={error} />}
      <ProfileForm
        initial={initial}
        errors={error?.byField() ?? {}}
        busy={busy}
        submitLabel="Create profile"
        onSubmit={(fields) => void create(fields, owner)}
      />
    </>
  );
}
