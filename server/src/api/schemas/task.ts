import { type Static, Type } from 'typebox';
import { DEFAULT_TASK_TYPE, PUBLIC_TASK_TYPES } from '../../tasks/registry.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const TaskStatus = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export type TaskStatus = Static<typeof TaskStatus>;

export const Task = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.String({ maxLength: 100 }),
    status: TaskStatus,
    payload: Type.Unknown(),
    result: Type.Unknown(),
    error: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
    attempts: Type.Integer(),
    max_attempts: Type.Integer(),
    run_at: Time,
    created_at: Time,
    updated_at: Time,
    started_at: NullableTime,
    finished_at: NullableTime,
  },
  { $id: 'Task', description: 'A delayed task' },
);
export type Task = Static<typeof Task>;

export const TaskSubmit = Type.Object(
  {
    type: Type.Optional(
      Type.Enum([...PUBLIC_TASK_TYPES], { description: `The task type (default: ${DEFAULT_TASK_TYPE})` }),
    ),
    payload: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Validated by the type's schema" }),
    ),
    delay: Type.Optional(
      Type.Union([Type.Number(), Type.String({ maxLength: 20 })], {
        description:
          'Seconds (a number, or a string without a unit) or a duration such as 30s, 5m; at most 7 days',
      }),
    ),
  },
  { additionalProperties: false, description: `An empty body is a ${DEFAULT_TASK_TYPE} of 10 seconds` },
);
export type SubmitInput = Static<typeof TaskSubmit>;

export const TaskId = Type.Object(
  { id: Type.String({ maxLength: 100, description: 'Task id (UUID)' }) },
  { additionalProperties: false },
);

export const TaskListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'Opaque; from the Link rel="next" header' }),
    ),
    status: Type.Optional(TaskStatus),
    type: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;
