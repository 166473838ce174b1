import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { completeDocument } from '../openapi-document.js';
import { securitySchemes } from '../schemas/security.js';

/**
 * The OpenAPI document, generated from the route schemas: served at /openapi.json (the client's types
 * are generated from it) and browsable at /docs. Schemas with an `$id` become named components.
 */
export const docsPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Profile Service',
          version: '1.0.0',
          description: 'Profiles, images and tasks. Errors are RFC 9457 problem details.',
          contact: { name: 'Profile Service maintainers', url: 'https://profile-service.example/' },
          license: { name: 'Proprietary' },
        },
        servers: [{ url: '/', description: 'The host serving this document' }],
        tags: [
          { name: 'profiles' },
          { name: 'images' },
          { name: 'tasks' },
          { name: 'events' },
          { name: 'system' },
        ],
        components: { securitySchemes },
      },
      transformObject: (doc) =>
        'openapiObject' in doc
          ? completeDocument(doc.openapiObject as Record<string, unknown>)
          : doc.swaggerObject,
      refResolver: {
        buildLocalReference: (json, _base, _frag, i) =>
          typeof json.$id === 'string' ? json.$id : `def-${i}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'docs' },
);
