import { Type } from 'typebox';
import { notFound } from '../../errors.js';
import { isUuid } from '../../lib/ids.js';
import type { ExportRepository } from '../../repository/exports.js';
import type { TaskService } from '../../services/tasks.js';
import type { App } from '../app-type.js';
import { problems } from '../schemas/problem.js';
import { Task, TaskId, TaskSubmit } from '../schemas/task.js';

const BASE = '/api/v1/tasks';
const tags = ['tasks'];

export function taskRoutes(
  app: App,
  { tasks, exports }: { tasks: TaskService; exports: Pick<ExportRepository, 'find'> },
) {
  app.get(
    '/api/v1/exports/:id',
    {
      schema: {
        tags,
        summary: 'Download a profile export made by a profile.export task',
        params: TaskId,
        response: { 200: Type.Unknown({ description: 'The export (JSON)' }), ...problems(404) },
      },
    },
    async (request) => {
      const content = isUuid(request.params.id) ? await exports.find(request.params.id) : undefined;
      if (content === undefined) throw notFound('export');
      return content;
    },
  );

  app.post(
    `${BASE}/delayed`,
    {
      // No body at all is the original demo request.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        tags,
        summary: 'Submit a task to run now or after a delay',
        body: TaskSubmit,
        response: { 202: Task, ...problems(400, 413, 415) },
      },
    },
    async (request, reply) => {
      const task = await tasks.submit(request.body);
      reply.code(202).header('location', `${BASE}/${task.id}`);
      return task;
    },
  );

  app.get(
    `${BASE}/:id`,
    { schema: { tags, summary: 'Read a task', params: TaskId, response: { 200: Task, ...problems(404) } } },
    async (request) => tasks.get(request.params.id),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Cancel a task that has not started',
        params: TaskId,
        response: { 200: Task, ...problems(404, 409) },
      },
    },
    async (request) => tasks.cancel(request.params.id),
  );
}
