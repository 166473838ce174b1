import { type Static, Type } from 'typebox';
import { MAX_IMAGES_PER_PROFILE } from '../../media/limits.js';

// PostgreSQL text cannot hold U+0000; refuse it here rather than fail in the driver.
const NO_NUL = '^[^\\u0000]*$';
const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: NO_NUL,
  description: 'Trimmed; 1–100 characters',
});
const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  format: 'email',
  description: 'Unique, case-insensitively',
});
const Bio = Type.String({ maxLength: 1000, pattern: NO_NUL });

export const Profile = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String({ maxLength: 100 }),
    email: Type.Optional(
      Type.String({
        maxLength: 254,
        description: 'Shown only to the profile’s owner and to admins; absent for everyone else',
      }),
    ),
    bio: Type.String({ maxLength: 1000 }),
    image_urls: Type.Array(Type.String({ maxLength: 2048 }), {
      maxItems: MAX_IMAGES_PER_PROFILE,
      description: 'Newest first; read-only',
    }),
    version: Type.Integer({ minimum: 1 }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Profile', description: 'A user profile' },
);
export type Profile = Static<typeof Profile>;

export const ProfileCreate = Type.Object(
  {
    name: Name,
    email: Email,
    bio: Type.Optional(Bio),
    owner: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()], {
        description:
          'The subject that will own it. An ordinary user always owns what they create (omit it, or name yourself); an admin may name anyone, or null for a profile only admins change (the default for an admin)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ProfileInput = Static<typeof ProfileCreate>;

export const ProfileUpdate = Type.Object(
  { name: Type.Optional(Name), email: Type.Optional(Email), bio: Type.Optional(Bio) },
  { additionalProperties: false, minProperties: 1, description: 'Any non-empty subset of name, email, bio' },
);
export type ProfileChanges = Static<typeof ProfileUpdate>;

export const ProfileId = Type.Object(
  { id: Type.String({ maxLength: 100, description: 'Profile id (UUID)' }) },
  { additionalProperties: false },
);

export const ProfileListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'Opaque; from the Link rel="next" header' }),
    ),
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'Case-insensitive substring of the name (and, for an admin, of the email); it must have at ' +
          'least 3 letters or digits in a row',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ProfileListQuery>;

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 1000,
      description: '"*" or ETags of this profile, e.g. "7p"; a list matches if any does',
    }),
  ),
});
export const IfNoneMatchHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({ maxLength: 1000, description: 'ETags already held: 304 if one is current' }),
  ),
});
