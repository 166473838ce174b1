import { type Static, Type } from 'typebox';
import { ERROR_CODES } from '../../errors.js';

export const Problem = Type.Object(
  {
    type: Type.String({ maxLength: 200 }),
    title: Type.String({ maxLength: 100 }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ maxLength: 2000 }),
    code: Type.Enum(ERROR_CODES, { description: 'Stable machine-readable error code' }),
    request_id: Type.String({ maxLength: 100 }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String({ maxLength: 200 }), message: Type.String({ maxLength: 500 }) }),
        {
          maxItems: 100,
        },
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' },
);
export type Problem = Static<typeof Problem>;

/** Documents problem responses in OpenAPI; serialised by the error handler, not by these schemas. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem')]));
