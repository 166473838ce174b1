import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api, asApiError, type Profile } from '@/lib/api';

/** One profile, read on mount and again on `load()`, which resolves with what it read. */
export function useProfile(id: string) {
  const [profile, setProfile] = useState<Profile | undefined>();
  const [loadError, setLoadError] = useState<ApiError | undefined>();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const { data } = await api.get('/api/v1/profiles/{id}', { path: { id } });
      setProfile(data);
      return data;
    } catch (err) {
      setLoadError(asApiError(err));
      return undefined;
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  return { profile, setProfile, loadError, load };
}
