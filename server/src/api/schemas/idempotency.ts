// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on the POSTs that create something:
// the request header, and the header that marks a replayed answer.
import { Type } from 'typebox';

export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      // Visible ASCII: a key is opaque to the server, but must survive every proxy unchanged.
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'A key of your choosing (a UUID, say), 1–255 visible ASCII characters, new for each action and ' +
        'reused when retrying it: the first answer is replayed (Idempotent-Replayed: true); another request ' +
        'under the key is a 422, one while the first is still running a 409 with Retry-After.',
    }),
  ),
});

export const IDEMPOTENT_REPLAYED = {
  'Idempotent-Replayed': {
    type: 'string' as const,
    maxLength: 4,
    description: '"true" on an answer replayed for a retried Idempotency-Key (absent otherwise)',
  },
};
