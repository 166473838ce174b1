import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { type ApiError, api, asApiError, type ProfileFields } from '@/lib/api';
import { actionKeys } from '@/lib/idempotency';

/** Creates a profile (owned by `owner`, when given) and opens it; the API's refusal stays to show. */
export function useCreateProfile(onCreated?: () => void) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  // A click again after a lost answer is the same creation: the API replays it, never makes two.
  const keys = useRef(actionKeys()).current;

  const create = async (fields: ProfileFields, owner?: string) => {
    setBusy(true);
    setError(undefined);
    const body = { ...fields, ...(owner ? { owner } : {}) };
    const key = keys.keyFor(JSON.stringify(body));
    try {
      const { data, status } = await api.post('/api/v1/profiles', {
        body,
        headers: { 'idempotency-key': key },
      });
      keys.answered(status);
      onCreated?.();
      router.push(`/profiles/${data.id}?created=1`);
    } catch (err) {
      const problem = asApiError(err);
      keys.answered(problem.status, problem.code);
      setError(problem);
      setBusy(false);
    }
  };

  return { busy, error, create };
}
