import { useEffect, useState } from 'react';
import { type ApiError, api, type Image } from '@/lib/api';

/** A profile's images, read again whenever its version changes (an upload or delete changes it). */
export function useImages(profileId: string, version: number) {
  const [images, setImages] = useState<Image[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the signal to reload
  useEffect(() => {
    let live = true;
    setError(undefined);
    api
      .get('/api/v1/profiles/{id}/images', { path: { id: profileId } })
      .then(({ data }) => live && setImages(data))
      .catch((err: ApiError) => live && setError(err));
    return () => {
      live = false;
    };
  }, [profileId, version]);

  return { images, error, setError };
}
