import { Type } from 'typebox';
import { STANDARD_RETRY, type TaskUnit } from '../task-type.js';

export const echoTask: TaskUnit<unknown> = {
  name: 'echo',
  summary: 'Returns its payload as the result',
  payload: Type.Record(Type.String(), Type.Unknown()),
  defaultPayload: {},
  retry: STANDARD_RETRY,
  submitters: 'admins',
  handler: () => async (payload) => payload,
};
