import { useEffect, useState } from 'react';
import { type ApiError, api, nextCursor, type Profile } from '@/lib/api';

const PAGE_SIZE = 20;

export type ProfilePage = { items: Profile[]; next: string | undefined };

/** One keyset page of the profiles matching `q`, from `cursor`; `retry()` reads it again. */
export function useProfilePage(q: string, cursor: string | undefined) {
  const [page, setPage] = useState<ProfilePage | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [reload, setReload] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the "Try again" trigger
  useEffect(() => {
    let live = true;
    setError(undefined);
    setPage(undefined);
    api
      .get('/api/v1/profiles', {
        query: { limit: PAGE_SIZE, q: q || undefined, cursor: cursor || undefined },
      })
      .then(({ data, headers }) => live && setPage({ items: data, next: nextCursor(headers) }))
      .catch((err: ApiError) => live && setError(err));
    return () => {
      live = false;
    };
  }, [q, cursor, reload]);

  return { page, error, retry: () => setReload((n) => n + 1) };
}
