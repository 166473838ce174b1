import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ExportService } from '../../services/exports.js';
import { problems } from '../schemas/problem.js';
import { tokenRequired } from '../schemas/security.js';
import { TaskId } from '../schemas/task.js';

export const exportRoutes: FastifyPluginAsyncTypebox<{ exports: ExportService }> = async (
  app,
  { exports },
) => {
  app.get(
    '/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['tasks'],
        operationId: 'getExport',
        summary: 'Download a profile export made by a profile.export task (its submitter or an admin)',
        description: 'Exports hold personal data: they expire after EXPORT_TTL.',
        security: tokenRequired,
        params: TaskId,
        response: { 200: Type.Unknown({ description: 'The export (JSON)' }), ...problems(401, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return exports.get(request.principal, request.params.id);
    },
  );
};
