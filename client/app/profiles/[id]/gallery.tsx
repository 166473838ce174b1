'use client';

import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Empty, ErrorBox, Loading, Notice } from '@/components/states';
import { ApiError, api, formatBytes, type Image, uploadImage } from '@/lib/api';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif';
const MAX_BYTES = 10 * 1_048_576;

/** A profile's images: upload with preview and progress, the gallery, and deletion. */
export function Gallery({
  profileId,
  version,
  onChange,
}: {
  profileId: string;
  version: number;
  onChange: () => void;
}) {
  const [images, setImages] = useState<Image[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [file, setFile] = useState<File | undefined>();
  const [preview, setPreview] = useState<string | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [uploadError, setUploadError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [toDelete, setToDelete] = useState<Image | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Reloaded whenever the profile's version changes (an upload or delete elsewhere changes it too).
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the signal to reload
  useEffect(() => {
    let live = true;
    setError(undefined);
    api<Image[]>(`/api/v1/profiles/${profileId}/images`)
      .then(({ data }) => live && setImages(data))
      .catch((err: ApiError) => live && setError(err));
    return () => {
      live = false;
    };
  }, [profileId, version]);

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    setUploadError(undefined);
    setNotice(undefined);
    const chosen = e.target.files?.[0];
    if (chosen && chosen.size > MAX_BYTES) {
      setUploadError(
        new ApiError(
          413,
          'payload_too_large',
          `${chosen.name} is ${formatBytes(chosen.size)}; at most 10 MiB`,
        ),
      );
      setFile(undefined);
      return;
    }
    setFile(chosen);
  };

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setUploadError(undefined);
    setProgress(0);
    try {
      const image = await uploadImage(profileId, file, setProgress).done;
      setNotice(`Uploaded ${file.name} (${image.width}×${image.height}).`);
      setFile(undefined);
      setPreview(undefined);
      if (input.current) input.current.value = '';
      onChange();
    } catch (err) {
      setUploadError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err)));
    } finally {
      setProgress(undefined);
    }
  };

  const remove = async () => {
    if (!toDelete) return;
    setBusy(true);
    try {
      await api(`/api/v1/profiles/${profileId}/images/${toDelete.id}`, { method: 'DELETE' });
      setNotice('Image deleted.');
      onChange();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err)));
    } finally {
      setBusy(false);
      setToDelete(undefined);
    }
  };

  return (
    <section aria-labelledby="images-heading">
      <h2 id="images-heading">Images</h2>
      <form className="upload" onSubmit={upload}>
        <label htmlFor="image-file">Add an image (JPEG, PNG, WebP, GIF or AVIF, up to 10 MiB)</label>
        <input id="image-file" ref={input} type="file" accept={ACCEPT} onChange={choose} />
        {preview && (
          <figure className="preview">
            {/* biome-ignore lint/performance/noImgElement: a local object URL, not an optimisable asset */}
            <img src={preview} alt="Preview of the chosen file" />
            <figcaption>
              {file?.name} · {file && formatBytes(file.size)}
            </figcaption>
          </figure>
        )}
        {progress !== undefined && (
          <div className="progress">
            <label htmlFor="upload-progress">Uploading… {Math.round(progress * 100)}%</label>
            <progress id="upload-progress" value={progress} max={1} />
          </div>
        )}
        <button type="submit" className="primary" disabled={!file || progress !== undefined}>
          Upload
        </button>
      </form>
      {uploadError && <Notice kind="error">{uploadError.message}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}

      {error && <ErrorBox error={error} />}
      {!error && !images && <Loading label="Loading images…" />}
      {images && images.length === 0 && (
        <Empty>
          <p>No images yet.</p>
        </Empty>
      )}
      {images && images.length > 0 && (
        <ul className="gallery">
          {images.map((img, i) => (
            <li key={img.id}>
              <a href={img.variants.original} target="_blank" rel="noreferrer">
                {/* biome-ignore lint/performance/noImgElement: media are served immutable by the API or its CDN, already sized */}
                <img
                  src={img.variants.thumbnail}
                  srcSet={`${img.variants.thumbnail} 128w, ${img.variants.medium} 512w`}
                  sizes="128px"
                  alt={`Upload ${i + 1} of ${images.length}, ${img.width}×${img.height}`}
                  width={128}
                  height={128}
                  loading="lazy"
                />
              </a>
              <span className="muted small">
                {img.width}×{img.height} · {formatBytes(img.bytes)}
              </span>
              <button type="button" className="link danger" onClick={() => setToDelete(img)}>
                Delete<span className="visually-hidden"> image {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={Boolean(toDelete)}
        title="Delete this image?"
        confirmLabel="Delete image"
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setToDelete(undefined)}
      >
        <p>The image and its variants will be deleted.</p>
      </ConfirmDialog>
    </section>
  );
}
