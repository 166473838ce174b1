'use client';

import { useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Empty, ErrorBox, Loading, Notice } from '@/components/states';
import { useImageDeletion } from '@/lib/hooks/use-image-deletion';
import { useImageUpload } from '@/lib/hooks/use-image-upload';
import { useImages } from '@/lib/hooks/use-images';
import { ImageGrid } from './image-grid';
import { UploadForm } from './upload-form';

/** A profile's images; for whoever may change the profile, also upload (with preview and progress) and deletion. */
export function Gallery({
  profileId,
  version,
  editable,
  onChange,
}: {
  profileId: string;
  version: number;
  editable: boolean;
  onChange: () => void;
}) {
  const [notice, setNotice] = useState<string | undefined>();
  const { images, error, setError } = useImages(profileId, version);
  const upload = useImageUpload(profileId, {
    onChoose: () => setNotice(undefined),
    onUploaded: (file, image) => {
      setNotice(`Uploaded ${file.name} (${image.width}×${image.height}).`);
      onChange();
    },
  });
  const deletion = useImageDeletion(profileId, {
    onDeleted: () => {
      setNotice('Image deleted.');
      onChange();
    },
    onError: setError,
  });

  return (
    <section aria-labelledby="images-heading">
      <h2 id="images-heading">Images</h2>
      {editable && <UploadForm upload={upload} />}
      {upload.uploadError && <Notice kind="error">{upload.uploadError.message}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}

      {error && <ErrorBox error={error} />}
      {!error && !images && <Loading label="Loading images…" />}
      {images && images.length === 0 && (
        <Empty>
          <p>No images yet.</p>
        </Empty>
      )}
      {images && images.length > 0 && (
        <ImageGrid images={images} onDelete={editable ? deletion.setToDelete : undefined} />
      )}
      <ConfirmDialog
        open={Boolean(deletion.toDelete)}
        title="Delete this image?"
        confirmLabel="Delete image"
        busy={deletion.busy}
        onConfirm={() => void deletion.remove()}
        onCancel={() => deletion.setToDelete(undefined)}
      >
        <p>The image and its variants will be deleted.</p>
      </ConfirmDialog>
    </section>
  );
}
