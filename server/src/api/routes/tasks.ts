import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TaskService } from '../../tasks/service.js';
import { problems } from '../schemas/problem.js';
import { ref } from '../schemas/shared.js';
import { TaskId, Task as TaskSchema, TaskSubmit } from '../schemas/task.js';

const tags = ['tasks'];
const Task = ref(TaskSchema);

export const taskRoutes: FastifyPluginAsyncTypebox<{ tasks: TaskService }> = async (app, { tasks }) => {
  app.post(
    '/delayed',
    {
      // No body at all is the default task with its default payload.
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
      reply.code(202).header('location', `${app.prefix}/${task.id}`);
      return task;
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Read a task', params: TaskId, response: { 200: Task, ...problems(404) } } },
    async (request) => tasks.get(request.params.id),
  );

  app.delete(
    '/:id',
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
};
