import type { Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

// Spans leave the process without query strings or email addresses: a query can carry a searched
// email or a cursor, and an instrumentation's exception message can quote a row (a unique
// violation names the email it refused). Done at export, once, whatever instrumentation wrote them.

const URL_KEYS = new Set(['url.full', 'url.path', 'url.original', 'http.url', 'http.target']);
const DROPPED_KEYS = new Set(['url.query']);
const EMAIL = /[^\s@"'<>(),;:=]+@[^\s@"'<>(),;:=]+\.[a-z]{2,}/gi;

function clean(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  // Most values hold neither a query nor an address: they skip the expressions.
  const v = URL_KEYS.has(key) && value.includes('?') ? value.replace(/\?.*$/s, '') : value;
  return v.includes('@') ? v.replace(EMAIL, '[redacted]') : v;
}

export function redactAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED_KEYS.has(key)) continue;
    out[key] = clean(key, value) as Attributes[string];
  }
  return out;
}

/**
 * The span as exported: an object of its own, the recorded one untouched. A plain object of one
 * shape, every field copied: the serializer reads each of them, and reading them through a prototype
 * (the span's getters behind an object made by Object.create) cost more than the copy.
 */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const context = span.spanContext();
  return {
    name: clean('name', span.name) as string,
    kind: span.kind,
    spanContext: () => context,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status.message
      ? { ...span.status, message: clean('status', span.status.message) as string }
      : span.status,
    attributes: redactAttributes(span.attributes),
    links: span.links,
    events: span.events.length
      ? span.events.map((e) => ({ ...e, attributes: e.attributes && redactAttributes(e.attributes) }))
      : span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

export function redactingExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
      inner.export(spans.map(redactSpan), done),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
