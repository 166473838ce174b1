import { type Static, Type } from 'typebox';

export const Image = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String({ description: 'The cleaned original (as in the profile’s image_urls)' }),
    variants: Type.Object({
      original: Type.String({ description: 'Auto-oriented, metadata stripped, in the uploaded format' }),
      medium: Type.String({ description: 'WebP, 512 pixels wide (never enlarged)' }),
      thumbnail: Type.String({ description: 'WebP, 128×128, cropped to cover' }),
    }),
    content_type: Type.String(),
    width: Type.Integer({ minimum: 1 }),
    height: Type.Integer({ minimum: 1 }),
    bytes: Type.Integer({ minimum: 1, description: 'Size of the cleaned original' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'Image',
    description: 'A profile image and its variants, served immutable under content-addressed URLs',
  },
);
export type Image = Static<typeof Image>;

export const ImageParams = Type.Object(
  {
    id: Type.String({ description: 'Profile id (UUID)' }),
    image_id: Type.String({ description: 'Image id (UUID)' }),
  },
  { additionalProperties: false },
);
