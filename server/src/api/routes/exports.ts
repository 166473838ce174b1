import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ExportService } from '../../services/exports.js';
import { problems } from '../schemas/problem.js';
import { TaskId } from '../schemas/task.js';

export const exportRoutes: FastifyPluginAsyncTypebox<{ exports: ExportService }> = async (
  app,
  { exports },
) => {
  app.get(
    '/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Download a profile export made by a profile.export task',
        params: TaskId,
        response: { 200: Type.Unknown({ description: 'The export (JSON)' }), ...problems(404) },
      },
    },
    async (request) => exports.get(request.params.id),
  );
};
