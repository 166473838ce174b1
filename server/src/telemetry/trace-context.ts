import {
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

// The context of the request that caused a row (a task, an outbox event) is kept with the row as a
// W3C traceparent, so work done later, in another process, continues that trace. Read and written
// through the API alone: with no SDK registered every span context is invalid and nothing is kept.

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active span's traceparent, or null when nothing is traced. */
export function activeTraceparent(ctx: Context = context.active()): string | null {
  const sc = trace.getSpanContext(ctx);
  if (!sc || !isSpanContextValid(sc)) return null;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  const m = value ? TRACEPARENT.exec(value) : null;
  if (!m) return undefined;
  const sc: SpanContext = {
    traceId: m[1] as string,
    spanId: m[2] as string,
    traceFlags: Number.parseInt(m[3] as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A context whose parent is the stored span (or the root context when there is none). */
export function contextOfTraceparent(value: string | null | undefined): Context {
  const sc = parseTraceparent(value);
  return sc ? trace.setSpanContext(ROOT_CONTEXT, sc) : ROOT_CONTEXT;
}

/** The active span's ids for a log line; the same empty object when there is none. */
const NONE: { trace_id?: string; span_id?: string } = Object.freeze({});
export function logTraceFields(): { trace_id?: string; span_id?: string } {
  const sc = trace.getSpanContext(context.active());
  return sc && isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : NONE;
}

/** The active trace's id when it is sampled (kept by the backend): what an exemplar may point to. */
export function sampledTraceId(): string | undefined {
  const sc = trace.getSpanContext(context.active());
  return sc && isSpanContextValid(sc) && sc.traceFlags & TraceFlags.SAMPLED ? sc.traceId : undefined;
}

/** pino's merge of the above: the line itself untouched (no copy) when there is nothing to add. */
export function mergeTraceFields(line: object, fields: object): object {
  return fields === NONE ? line : Object.assign(fields, line);
}

/**
 * Sends the spans still batched (before a process exits on SIGTERM, which skips 'beforeExit'),
 * bounded by `ms`; nothing to do when no SDK is registered.
 */
export async function flushTraces(ms = 2000): Promise<void> {
  const proxy = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = (proxy.getDelegate?.() ?? proxy) as { forceFlush?: () => Promise<void> };
  if (typeof provider.forceFlush !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.forceFlush().catch(() => {}),
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
