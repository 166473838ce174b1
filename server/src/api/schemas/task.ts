import { Type } from 'typebox';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const Task = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.String(),
    status: Type.Union([
      Type.Literal('scheduled'),
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
      Type.Literal('cancelled'),
    ]),
    payload: Type.Unknown(),
    result: Type.Unknown(),
    error: Type.Union([Type.String(), Type.Null()]),
    attempts: Type.Integer(),
    max_attempts: Type.Integer(),
    run_at: Time,
    created_at: Time,
    updated_at: Time,
    started_at: NullableTime,
    finished_at: NullableTime,
  },
  { description: 'A delayed task' },
);

export const TaskSubmit = Type.Object(
  {
    type: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'sleep (default), echo, profile.export, profile.purge, cache.warm',
      }),
    ),
    payload: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Validated by the type's schema" }),
    ),
    delay: Type.Optional(
      Type.Union([Type.Number(), Type.String({ maxLength: 20 })], {
        description: 'Seconds (a number) or a duration such as 30s, 5m; at most 7 days',
      }),
    ),
  },
  { additionalProperties: false, description: 'An empty body is the original demo: sleep 10 seconds' },
);

export const TaskId = Type.Object({ id: Type.String() }, { additionalProperties: false });
