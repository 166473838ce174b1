import { useState } from 'react';
import { type ApiError, api, asApiError, type Image } from '@/lib/api';

/** The image waiting for confirmation of its deletion, and that deletion. */
export function useImageDeletion(
  profileId: string,
  { onDeleted, onError }: { onDeleted: () => void; onError: (error: ApiError) => void },
) {
  const [toDelete, setToDelete] = useState<Image | undefined>();
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!toDelete) return;
    setBusy(true);
    try {
      await api.delete('/api/v1/profiles/{id}/images/{image_id}', {
        path: { id: profileId, image_id: toDelete.id },
      });
      onDeleted();
    } catch (err) {
      onError(asApiError(err));
    } finally {
      setBusy(false);
      setToDelete(undefined);
    }
  };

  return { toDelete, setToDelete, busy, remove };
}
