import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, asApiError, type Image } from '@/lib/api';
import { formatBytes } from '@/lib/format';
import { actionKeys } from '@/lib/idempotency';
import { uploadImage } from '@/lib/upload-image';

const MAX_BYTES = 10 * 1_048_576;

/** The chosen file (refused above 10 MiB before any upload), its preview, and its upload's progress. */
export function useImageUpload(
  profileId: string,
  { onChoose, onUploaded }: { onChoose: () => void; onUploaded: (file: File, image: Image) => void },
) {
  const [file, setFile] = useState<File | undefined>();
  const [preview, setPreview] = useState<string | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [uploadError, setUploadError] = useState<ApiError | undefined>();
  const input = useRef<HTMLInputElement>(null);
  // Uploading the same file again after a lost answer is the same upload: the API replays it.
  const keys = useRef(actionKeys()).current;

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    setUploadError(undefined);
    onChoose();
    const chosen = e.target.files?.[0];
    if (chosen && chosen.size > MAX_BYTES) {
      const why = `${chosen.name} is ${formatBytes(chosen.size)}; at most 10 MiB`;
      setUploadError(new ApiError(413, 'payload_too_large', why));
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
    const key = keys.keyFor(`${profileId} ${file.name} ${file.size} ${file.lastModified}`);
    try {
      const image = await uploadImage(profileId, file, setProgress, key).done;
      keys.answered(200);
      setFile(undefined);
      setPreview(undefined);
      if (input.current) input.current.value = '';
      onUploaded(file, image);
    } catch (err) {
      const problem = asApiError(err);
      keys.answered(problem.status, problem.code);
      setUploadError(problem);
    } finally {
      setProgress(undefined);
    }
  };

  return { file, preview, progress, uploadError, input, choose, upload };
}

export type ImageUpload = ReturnType<typeof useImageUpload>;
