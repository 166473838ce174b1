import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TaskService } from '../../tasks/service.js';
import { type Answer, sealOf, send } from '../plugins/idempotency.js';
import { LOCATION, NEXT_PAGE, withHeaders } from '../schemas/headers.js';
import { IDEMPOTENT_REPLAYED, IdempotencyKeyHeaders } from '../schemas/idempotency.js';
import { problems } from '../schemas/problem.js';
import { tokenRequired } from '../schemas/security.js';
import { ref } from '../schemas/shared.js';
import {
  TaskId,
  TaskListQuery,
  type Task as TaskRecord,
  Task as TaskSchema,
  TaskSubmit,
} from '../schemas/task.js';

const tags = ['tasks'];
const Task = ref(TaskSchema);
const required = { auth: 'required' } as const;

export const taskRoutes: FastifyPluginAsyncTypebox<{ tasks: TaskService }> = async (app, { tasks }) => {
  app.post(
    '/delayed',
    {
      config: { ...required, rateClass: 'task', idempotent: {} },
      // No body at all is the default task with its default payload.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        tags,
        operationId: 'submitTask',
        summary: 'Submit a task to run now or after a delay',
        // The body may be left out (the default task): the document must not say it is required.
        'x-body-optional': true,
        description:
          'profile.export and profile.purge: for a profile you own (any, for an admin); the other types: admins only.',
        security: tokenRequired,
        headers: IdempotencyKeyHeaders,
        body: TaskSubmit,
        response: {
          202: withHeaders(Task, LOCATION, IDEMPOTENT_REPLAYED),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const answer = (task: TaskRecord): Answer<TaskRecord> => ({
        status: 202,
        headers: { location: `${app.prefix}/${task.id}` },
        body: task,
      });
      const task = await tasks.submit(request.principal, request.body, sealOf(request, reply, answer));
      return send(reply, answer(task));
    },
  );

  app.get(
    '',
    {
      config: required,
      schema: {
        tags,
        operationId: 'listTasks',
        summary: 'Your tasks (everyone’s, for an admin), newest first',
        description: 'A bare JSON array; `Link: <…>; rel="next"` when there is another page.',
        security: tokenRequired,
        querystring: TaskListQuery,
        response: {
          200: withHeaders(Type.Array(Task, { maxItems: 100 }), NEXT_PAGE),
          ...problems(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const { items, next } = await tasks.list(request.principal, request.query);
      if (next) {
        const params = new URLSearchParams({
          limit: String(request.query.limit ?? items.length),
          cursor: next,
        });
        if (request.query.status) params.set('status', request.query.status);
        if (request.query.type) params.set('type', request.query.type);
        reply.header('link', `<${app.prefix}?${params}>; rel="next"`);
      }
      return items;
    },
  );

  app.get(
    '/:id',
    {
      config: required,
      schema: {
        tags,
        operationId: 'getTask',
        summary: 'Read a task (its submitter or an admin)',
        description: 'Another caller’s task is a 404, as one that does not exist.',
        security: tokenRequired,
        params: TaskId,
        response: { 200: Task, ...problems(401, 404, 429) },
      },
    },
    async (request) => tasks.get(request.principal, request.params.id),
  );

  app.delete(
    '/:id',
    {
      config: required,
      schema: {
        tags,
        operationId: 'cancelTask',
        summary: 'Cancel a task that has not started (its submitter or an admin)',
        description: 'A task already running or finished is a 409; the cancelled task is returned.',
        security: tokenRequired,
        params: TaskId,
        response: { 200: Task, ...problems(401, 404, 409, 429) },
      },
    },
    async (request) => tasks.cancel(request.principal, request.params.id),
  );
};
