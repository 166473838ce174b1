// What each operation of the API takes and answers, read from the generated `paths`: a call to a
// path or with a body the API does not have is a compile error.
import type { paths } from './api.gen';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that answer `M`. */
export type PathFor<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

export type Operation<P extends keyof paths, M extends Method> = Exclude<paths[P][M], undefined>;

type Json<C, Otherwise> = C extends { content: { 'application/json': infer Body } } ? Body : Otherwise;
type RequestBody<O> = O extends { requestBody?: infer Body } ? Json<NonNullable<Body>, never> : never;

/** The JSON of the operation's success answers (null for 204 No Content). */
export type Answer<O> = O extends { responses: infer R }
  ? Json<R[keyof R & (200 | 201 | 202 | 204)], null>
  : never;

type Present<T> = { [K in keyof T as [T[K]] extends [never] | [undefined] ? never : K]: T[K] };

/** Path parameters (required when the path has any), the query, the JSON body, extra headers. */
export type Options<O> = Present<{
  path: O extends { parameters: { path: infer X } } ? X : never;
  query?: O extends { parameters: { query?: infer X } } ? X : never;
  body: RequestBody<O>;
}> & { headers?: Record<string, string> };

/** The options argument, which may be left out when nothing in it is required. */
export type OptionsArg<O> =
  Partial<Options<O>> extends Options<O> ? [options?: Options<O>] : [options: Options<O>];

/** `/api/v1/profiles/{id}` with its parameters filled in, e.g. for a request fetch cannot make. */
export function apiPath<P extends keyof paths>(path: P, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
