import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_IMAGES_PER_PROFILE } from '../../media/limits.js';
import type { ImageService, Uploaded } from '../../services/images.js';
import { imageReader, uploadGate } from '../multipart/image-part.js';
import { type Answer, bytesDigest, sealOf, send } from '../plugins/idempotency.js';
import { LOCATION, withHeaders } from '../schemas/headers.js';
import { IDEMPOTENT_REPLAYED, IdempotencyKeyHeaders } from '../schemas/idempotency.js';
import {
  IMAGE_UPLOAD_BODY,
  type Image as ImageBody,
  ImageParams,
  Image as ImageSchema,
} from '../schemas/image.js';
import { problems } from '../schemas/problem.js';
import { ProfileId } from '../schemas/profile.js';
import { tokenOptional, tokenRequired } from '../schemas/security.js';
import { ref } from '../schemas/shared.js';

const tags = ['images'];
const Image = ref(ImageSchema);

/** A profile's images, under the profiles prefix: /:id/images. */
export const imageRoutes: FastifyPluginAsyncTypebox<{ images: ImageService; maxBytes: number }> = async (
  app,
  { images, maxBytes },
) => {
  const readImage = imageReader(maxBytes);
  app.post(
    '/:id/images',
    {
      // Under an Idempotency-Key the image is read first: a retry is "the same" by the file's bytes.
      config: { auth: 'required', rateClass: 'upload', idempotent: { digest: bytesDigest(readImage) } },
      // After the auth hook: an anonymous upload is refused before its size is even looked at.
      onRequest: uploadGate(maxBytes),
      schema: {
        tags,
        operationId: 'uploadImage',
        summary: 'Upload an image (multipart/form-data, part "image"): the profile’s owner or an admin',
        security: tokenRequired,
        description:
          'JPEG, PNG, WebP, GIF or AVIF, judged by content. 201 with the new image; 200 with the existing one when the profile already has this picture.',
        // Read from the multipart stream by the handler, not validated as a body: documented only.
        'x-request-body': IMAGE_UPLOAD_BODY,
        params: ProfileId,
        headers: IdempotencyKeyHeaders,
        response: {
          200: withHeaders(Image, LOCATION, IDEMPOTENT_REPLAYED),
          201: withHeaders(Image, LOCATION, IDEMPOTENT_REPLAYED),
          ...problems(400, 401, 403, 404, 408, 409, 413, 415, 422, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const answer = ({ image, created }: Uploaded): Answer<ImageBody> => ({
        status: created ? 201 : 200,
        headers: { location: `${app.prefix}/${request.params.id}/images/${image.id}` },
        body: image,
      });
      const uploaded = await images.upload(
        request.principal,
        request.params.id,
        () => readImage(request, reply),
        sealOf(request, reply, answer),
      );
      return send(reply, answer(uploaded));
    },
  );

  app.get(
    '/:id/images',
    {
      schema: {
        tags,
        operationId: 'listImages',
        summary: "A profile's images, newest first",
        description: `At most ${MAX_IMAGES_PER_PROFILE}, in the order of the profile's image_urls.`,
        security: tokenOptional,
        params: ProfileId,
        response: {
          200: Type.Array(Image, { maxItems: MAX_IMAGES_PER_PROFILE }),
          ...problems(401, 404, 429),
        },
      },
    },
    async (request) => images.list(request.params.id),
  );

  app.delete(
    '/:id/images/:image_id',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        operationId: 'deleteImage',
        summary: 'Delete an image (its objects are removed by a background task): the owner or an admin',
        description: 'The profile gets a new version without the image’s URL.',
        security: tokenRequired,
        params: ImageParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await images.remove(request.principal, request.params.id, request.params.image_id);
      return reply.code(204).send(null);
    },
  );
};
