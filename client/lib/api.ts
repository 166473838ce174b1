// The API's types and one way to call it. Every call goes to this origin; next.config.ts rewrites
// /api, /media, /health/ready and /metrics to the API, so the browser never needs CORS.

export type Profile = {
  id: string;
  name: string;
  email: string;
  bio: string;
  image_urls: string[];
  version: number;
  created_at: string;
  updated_at: string;
};

export type Image = {
  id: string;
  url: string;
  variants: { original: string; medium: string; thumbnail: string };
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  created_at: string;
};

export type TaskStatus = 'scheduled' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type Task = {
  id: string;
  type: string;
  status: TaskStatus;
  payload: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  max_attempts: number;
  run_at: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export const FINISHED: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

export type FieldError = { field: string; message: string };

/** An RFC 9457 problem from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The first message for each field, for showing beside the inputs. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) out[e.field] ??= e.message;
    return out;
  }
}

type Problem = {
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
  request_id?: string;
};

export async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  return new ApiError(
    res.status,
    problem.code ?? 'http_error',
    problem.detail ?? `The server answered ${res.status} ${res.statusText}`,
    problem.errors ?? [],
    problem.request_id,
  );
}

export type ApiResponse<T> = { data: T; headers: Headers; status: number };

/** Calls the API; resolves with the parsed body, rejects with an ApiError. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The API cannot be reached; check your connection and retry');
  }
  if (!res.ok) throw await toApiError(res);
  const data = (res.status === 204 ? null : await res.json()) as T;
  return { data, headers: res.headers, status: res.status };
}

/** The `cursor` of a `Link: <…>; rel="next"` header, if there is a next page. */
export function nextCursor(headers: Headers): string | undefined {
  const link = headers.get('link');
  const target = link && /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  return target ? (new URL(target, 'http://x').searchParams.get('cursor') ?? undefined) : undefined;
}

/** Uploads an image with progress reports (fetch cannot report upload progress; XHR can). */
export function uploadImage(
  profileId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<Image>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Image>((resolve, reject) => {
    xhr.open('POST', `/api/v1/profiles/${profileId}/images`);
    xhr.setRequestHeader('accept', 'application/json');
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

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1_048_576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1_048_576).toFixed(1)} MiB`;

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
