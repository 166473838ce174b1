import { ApiError, apiPath, type Image, toApiError } from './api';

/** Uploads an image with progress reports (fetch cannot report upload progress; XHR can). */
export function uploadImage(
  profileId: string,
  file: File,
  onProgress: (fraction: number) => void,
  /** The Idempotency-Key of this upload: the same when the same upload is retried. */
  idempotencyKey?: string,
): { done: Promise<Image>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Image>((resolve, reject) => {
    xhr.open('POST', apiPath('/api/v1/profiles/{id}/images', { id: profileId }));
    xhr.setRequestHeader('accept', 'application/json');
    if (idempotencyKey) xhr.setRequestHeader('idempotency-key', idempotencyKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, { status: xhr.status });
      if (xhr.status === 200 || xhr.status === 201) resolve(JSON.parse(xhr.responseText) as Image);
      else reject(await toApiError(res));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed: the connection was lost'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled'));
    const form = new FormData();
    form.append('image', file);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
