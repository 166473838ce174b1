// The API's types and one way to call it. The types are the generated ones (lib/api.gen.ts, from the
// API's OpenAPI document), named here: what the server changes, the client sees at compile time.
// Every call goes to this origin, whose server passes it on to the API with the signed-in person's
// access token (app/api/[...path]/route.ts): the page never holds a token, and needs no CORS.

import type { components, paths } from './api.gen';
import { ApiError, toApiError } from './api-error';
import {
  type Answer,
  apiPath,
  type Method,
  type Operation,
  type OptionsArg,
  type PathFor,
} from './api-operations';

type Schemas = components['schemas'];
export type Profile = Schemas['Profile'];
/** The fields a form edits (the email is absent from what others see of a profile, but not here). */
export type ProfileFields = { name: string; email: string; bio: string };
export type Image = Schemas['Image'];
export type Task = Schemas['Task'];
export type TaskStatus = Task['status'];
export type TaskSubmission = NonNullable<
  paths['/api/v1/tasks/delayed']['post']['requestBody']
>['content']['application/json'];
/** The task types the API accepts. */
export type TaskType = NonNullable<TaskSubmission['type']>;
export type Readiness = Schemas['Readiness'];
export type DependencyCheck = Readiness['checks']['database'];
export type Problem = Schemas['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

export { ApiError, asApiError, type ErrorCode, toApiError } from './api-error';
export { apiPath } from './api-operations';

export const FINISHED: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

export type ApiResponse<T> = { data: T; headers: Headers; status: number };

type CallOptions = {
  path?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
};

function url(path: string, options: CallOptions): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {}))
    if (value !== undefined) query.set(name, String(value));
  const base = apiPath(path as keyof paths, options.path);
  return query.size ? `${base}?${query}` : base;
}

/** Calls the API; resolves with the parsed body, rejects with an ApiError. */
async function call(method: Method, path: string, options: CallOptions = {}): Promise<ApiResponse<unknown>> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  let res: Response;
  try {
    res = await fetch(url(path, options), {
      method: method.toUpperCase(),
      ...(body === undefined ? {} : { body }),
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The API cannot be reached; check your connection and retry');
  }
  if (!res.ok) throw await toApiError(res);
  const data = res.status === 204 ? null : await res.json();
  return { data, headers: res.headers, status: res.status };
}

type Call<M extends Method> = <P extends PathFor<M>>(
  path: P,
  ...options: OptionsArg<Operation<P, M>>
) => Promise<ApiResponse<Answer<Operation<P, M>>>>;

const caller =
  <M extends Method>(method: M): Call<M> =>
  (path, ...[options]) =>
    // The body is taken to be what the OpenAPI document says the API answers: it is not checked.
    call(method, path, options as CallOptions) as never;

/** `api.get('/api/v1/profiles/{id}', { path: { id } })`: typed by the API's OpenAPI document. */
export const api = {
  get: caller('get'),
  post: caller('post'),
  put: caller('put'),
  patch: caller('patch'),
  delete: caller('delete'),
};

/** The `cursor` of a `Link: <…>; rel="next"` header, if there is a next page. */
export function nextCursor(headers: Headers): string | undefined {
  const link = headers.get('link');
  const target = link && /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  return target ? (new URL(target, 'http://x').searchParams.get('cursor') ?? undefined) : undefined;
}
