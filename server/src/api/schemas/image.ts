import { type Static, Type } from 'typebox';

export const Image = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String({
      maxLength: 2048,
      description: 'The cleaned original (as in the profile’s image_urls)',
    }),
    variants: Type.Object({
      original: Type.String({
        maxLength: 2048,
        description: 'Auto-oriented, metadata stripped, in the uploaded format',
      }),
      medium: Type.String({ maxLength: 2048, description: 'WebP, 512 pixels wide (never enlarged)' }),
      thumbnail: Type.String({ maxLength: 2048, description: 'WebP, 128×128, cropped to cover' }),
    }),
    content_type: Type.String({ maxLength: 50 }),
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
    id: Type.String({ maxLength: 100, description: 'Profile id (UUID)' }),
    image_id: Type.String({ maxLength: 100, description: 'Image id (UUID)' }),
  },
  { additionalProperties: false },
);

/** The upload's body, for the document: one file part named "image" (read from the stream, not validated). */
export const IMAGE_UPLOAD_BODY = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['image'],
        properties: {
          image: {
            type: 'string',
            format: 'binary',
            description: 'The picture: JPEG, PNG, WebP, GIF or AVIF, at most IMAGE_MAX_BYTES',
          },
        },
        additionalProperties: false,
      },
    },
  },
} as const;
