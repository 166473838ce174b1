// Response headers as OpenAPI documents them: declared beside the response schema they go with
// (`withHeaders(Profile, ETAG)`), so the document says what the route sets. Headers every response
// carries (X-Request-Id) and those of the error responses are added to the whole document instead.
import type { Static, TSchema } from 'typebox';
import { Type } from 'typebox';

type HeaderDoc = { type: 'string' | 'integer'; description: string; maxLength?: number };

export const ETAG: Record<string, HeaderDoc> = {
  ETag: {
    type: 'string',
    maxLength: 16,
    description:
      'Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match',
  },
};
export const LOCATION: Record<string, HeaderDoc> = {
  Location: { type: 'string', maxLength: 200, description: 'The path of what was created' },
};
export const NEXT_PAGE: Record<string, HeaderDoc> = {
  Link: {
    type: 'string',
    maxLength: 1000,
    description: '`<path of the next page>; rel="next"`; absent on the last page',
  },
};

/** The schema, documented with the headers its response carries (the serializer ignores them). */
export function withHeaders<T extends TSchema>(schema: T, ...headers: Record<string, HeaderDoc>[]) {
  return Type.Unsafe<Static<T>>({ ...schema, headers: Object.assign({}, ...headers) });
}
