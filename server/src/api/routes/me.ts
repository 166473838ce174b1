import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { etagOf } from '../../lib/etag.js';
import { fullView } from '../../services/profile-views.js';
import type { ProfileService } from '../../services/profiles.js';
import { ETAG, withHeaders } from '../schemas/headers.js';
import { problems } from '../schemas/problem.js';
import { Profile } from '../schemas/profile.js';
import { tokenRequired } from '../schemas/security.js';
import { ref } from '../schemas/shared.js';

/** The caller's own profile, at /api/v1/me. */
export const meRoutes: FastifyPluginAsyncTypebox<{ profiles: Pick<ProfileService, 'mine'> }> = async (
  app,
  { profiles },
) => {
  app.get(
    '',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['profiles'],
        operationId: 'getMyProfile',
        summary: 'The caller’s own profile',
        description: 'With its email; 404 until the caller has created one.',
        security: tokenRequired,
        response: { 200: withHeaders(ref(Profile), ETAG), ...problems(401, 404, 429) },
      },
    },
    async (request, reply) => {
      const profile = await profiles.mine(request.principal);
      reply.header('etag', etagOf(profile.version, true)).header('cache-control', 'private, no-store');
      return fullView(profile);
    },
  );
};
