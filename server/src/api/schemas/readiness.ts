import { type Static, Type } from 'typebox';

const Check = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('degraded')]),
  mode: Type.Optional(
    Type.String({ maxLength: 20, description: 'Which part: postgres, pglite, redis, memory, fs, s3' }),
  ),
  latency_ms: Type.Optional(Type.Number()),
  breaker: Type.Optional(
    Type.String({ maxLength: 20, description: 'The cache breaker: closed, open, half-open' }),
  ),
  error: Type.Optional(Type.String({ maxLength: 500 })),
});
export type Check = Static<typeof Check>;

export const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('draining'), Type.Literal('unavailable')]),
    checks: Type.Object({
      database: Check,
      cache: Check,
      queue: Type.Optional(Check),
      storage: Type.Optional(Check),
    }),
  },
  { $id: 'Readiness', description: 'Readiness with each dependency’s status; 503 unless ready' },
);
export type Readiness = Static<typeof Readiness>;
