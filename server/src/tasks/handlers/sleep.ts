import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { STANDARD_RETRY, type TaskUnit } from '../task-type.js';

export const sleepTask: TaskUnit<unknown> = {
  name: 'sleep',
  summary: 'Waits `seconds` (an empty submission sleeps 10 s)',
  payload: Type.Object(
    { seconds: Type.Number({ minimum: 0, maximum: 3600, default: 10 }) },
    { additionalProperties: false },
  ),
  defaultPayload: { seconds: 10 },
  retry: STANDARD_RETRY,
  submitters: 'admins',
  // No side effect: running it twice is harmless.
  handler: () => async (payload, ctx) => {
    const seconds = Number(payload.seconds);
    await sleep(seconds * 1000, undefined, { signal: ctx.signal });
    return { slept_seconds: seconds };
  },
};
