import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { etagOf, noneMatch, requiredVersions } from '../../lib/etag.js';
import { type ProfileRecord, viewFor } from '../../services/profile-views.js';
import type { ProfileService } from '../../services/profiles.js';
import { type Answer, sealOf, send } from '../plugins/idempotency.js';
import { ETAG, LOCATION, NEXT_PAGE, withHeaders } from '../schemas/headers.js';
import { IDEMPOTENT_REPLAYED, IdempotencyKeyHeaders } from '../schemas/idempotency.js';
import { problems } from '../schemas/problem.js';
import {
  IfMatchHeaders,
  IfNoneMatchHeaders,
  type Profile as ProfileBody,
  ProfileCreate,
  ProfileId,
  ProfileListQuery,
  Profile as ProfileSchema,
  ProfileUpdate,
} from '../schemas/profile.js';
import { tokenOptional, tokenRequired } from '../schemas/security.js';
import { ref } from '../schemas/shared.js';

const tags = ['profiles'];
const Profile = ref(ProfileSchema);
const required = { auth: 'required' } as const;

/** Name and email are trimmed before validation, so "  " is empty and length limits apply to the kept text. */
async function trimNameAndEmail(request: FastifyRequest) {
  const body = request.body as Record<string, unknown> | null;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of ['name', 'email'] as const) {
      if (typeof body[key] === 'string') body[key] = body[key].trim();
    }
  }
}

export const profileRoutes: FastifyPluginAsyncTypebox<{ profiles: ProfileService }> = async (
  app,
  { profiles },
) => {
  app.post(
    '',
    {
      config: { ...required, idempotent: {} },
      preValidation: trimNameAndEmail,
      schema: {
        tags,
        operationId: 'createProfile',
        summary: 'Create a profile',
        description:
          'An ordinary user creates their own, one at most (409 profile_exists); an admin creates any number and may name the owner.',
        security: tokenRequired,
        headers: IdempotencyKeyHeaders,
        body: ProfileCreate,
        response: {
          201: withHeaders(Profile, LOCATION, ETAG, IDEMPOTENT_REPLAYED),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const answer = (profile: ProfileRecord): Answer<ProfileBody> => ({
        status: 201,
        headers: { location: `${app.prefix}/${profile.id}`, etag: etagOf(profile.version, true) },
        body: viewFor(request.principal, profile),
      });
      const profile = await profiles.create(request.principal, request.body, sealOf(request, reply, answer));
      return send(reply, answer(profile));
    },
  );

  app.get(
    '',
    {
      schema: {
        tags,
        operationId: 'listProfiles',
        summary: 'List profiles, newest first',
        description:
          'A bare JSON array; `Link: <…>; rel="next"` when there is another page. Emails appear only to their owner and admins; `q` matches emails only for admins.',
        security: tokenOptional,
        querystring: ProfileListQuery,
        response: {
          200: withHeaders(Type.Array(Profile, { maxItems: 100 }), NEXT_PAGE),
          ...problems(400, 401, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { items, next } = await profiles.list(request.principal, request.query);
      reply.header('vary', 'Authorization');
      if (next) {
        const params = new URLSearchParams({
          limit: String(request.query.limit ?? items.length),
          cursor: next,
        });
        if (request.query.q) params.set('q', request.query.q);
        reply.header('link', `<${app.prefix}?${params}>; rel="next"`);
      }
      return items;
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        operationId: 'getProfile',
        summary: 'Read a profile',
        description: 'Its email only to its owner and admins, who get an ETag of their own representation.',
        security: tokenOptional,
        params: ProfileId,
        headers: IfNoneMatchHeaders,
        response: {
          200: withHeaders(Profile, ETAG),
          304: Type.Null({ description: 'Not modified (If-None-Match named its ETag)' }),
          ...problems(401, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const { json, etag, source } = await profiles.get(request.principal, request.params.id);
      reply
        .header('etag', etag)
        .header('vary', 'Authorization')
        .header('x-cache', source === 'cache' ? 'HIT' : 'MISS');
      if (noneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      // Already-serialised JSON (straight from the cache on a hit) goes out as is.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
    },
  );

  // PUT and PATCH take the same partial body: two operations, one behaviour.
  for (const [method, operationId] of [
    ['PUT', 'replaceProfileFields'],
    ['PATCH', 'updateProfile'],
  ] as const) {
    app.route({
      method,
      url: '/:id',
      config: required,
      preValidation: trimNameAndEmail,
      schema: {
        tags,
        operationId,
        summary: 'Update a profile (any non-empty subset of name, email, bio): its owner or an admin',
        description:
          'With If-Match, only if the profile is still at a version it names (412 otherwise). ' +
          `${method === 'PATCH' ? 'Also takes application/merge-patch+json.' : 'Same as PATCH.'}`,
        security: tokenRequired,
        params: ProfileId,
        headers: IfMatchHeaders,
        body: ProfileUpdate,
        ...(method === 'PATCH' ? { consumes: ['application/json', 'application/merge-patch+json'] } : {}),
        response: {
          200: withHeaders(Profile, ETAG),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 429),
        },
      },
      handler: async (request, reply) => {
        const profile = await profiles.update(
          request.principal,
          request.params.id,
          request.body,
          requiredVersions(request.headers['if-match']),
        );
        reply.header('etag', etagOf(profile.version, true));
        return viewFor(request.principal, profile);
      },
    });
  }

  app.delete(
    '/:id',
    {
      config: required,
      schema: {
        tags,
        operationId: 'deleteProfile',
        summary: 'Delete a profile (its images too): its owner or an admin',
        description: 'With If-Match, only if the profile is still at a version it names (412 otherwise).',
        security: tokenRequired,
        params: ProfileId,
        headers: IfMatchHeaders,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 403, 404, 412, 429) },
      },
    },
    async (request, reply) => {
      await profiles.remove(
        request.principal,
        request.params.id,
        requiredVersions(request.headers['if-match']),
      );
      return reply.code(204).send(null);
    },
  );
};
