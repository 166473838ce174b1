import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
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
        info: { title: 'Profile Service', version: '1.0.0', description: 'Profiles, images and tasks.' },
        tags: [
          { name: 'profiles' },
          { name: 'images' },
          { name: 'tasks' },
          { name: 'events' },
          { name: 'system' },
        ],
        components: { securitySchemes },
      },
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
