import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { type ApiError, api, asApiError, type ProfileFields } from '@/lib/api';

/** Creates a profile (owned by `owner`, when given) and opens it; the API's refusal stays to show. */
export function useCreateProfile(onCreated?: () => void) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (fields: ProfileFields, owner?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await api.post('/api/v1/profiles', {
        body: { ...fields, ...(owner ? { owner } : {}) },
      });
      onCreated?.();
      router.push(`/profiles/${data.id}?created=1`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return { busy, error, create };
}
