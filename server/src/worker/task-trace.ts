import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DueTask } from '../repository/tasks.js';
import { contextOfTraceparent, parseTraceparent } from '../telemetry/trace-context.js';

// How the asynchronous half of a task joins the trace of its submission. A task published soon
// after it was submitted continues that trace (its publish span is a child of the request's);
// one delayed for long starts a trace of its own that links back to its submitter, rather than
// stretching one trace over hours.

const tracer = () => trace.getTracer('profile-service.worker');

/** Tasks handed out longer than this after their submission link to it instead. */
export const LINK_AFTER_MS = 5 * 60_000;

export function publishInSubmitterContext<T>(
  task: Pick<DueTask, 'id' | 'type' | 'traceparent' | 'created_at'>,
  publish: () => Promise<T>,
  linkAfterMs = LINK_AFTER_MS,
  now = Date.now(),
): Promise<T> {
  const submitter = parseTraceparent(task.traceparent);
  if (!submitter || now - task.created_at.getTime() <= linkAfterMs)
    return context.with(contextOfTraceparent(task.traceparent), publish);
  return tracer().startActiveSpan(
    `schedule ${task.type}`,
    {
      root: true,
      kind: SpanKind.INTERNAL,
      links: [{ context: submitter, attributes: { 'task.link': 'submitted' } }],
      attributes: { 'task.id': task.id, 'task.type': task.type },
    },
    (span) => publish().finally(() => span.end()),
  );
}

/** One attempt of a task, inside the delivery's context: the handler and the recorded outcome. */
export function inAttemptSpan<T>(type: string, id: string, run: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    `task ${type}`,
    { kind: SpanKind.INTERNAL, attributes: { 'task.id': id, 'task.type': type } },
    async (span) => {
      try {
        return await run(span);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
