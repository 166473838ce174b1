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
  const v = URL_KEYS.has(key) ? value.replace(/\?.*$/s, '') : value;
  return v.replace(EMAIL, '[redacted]');
}

export function redactAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED_KEYS.has(key)) continue;
    out[key] = clean(key, value) as Attributes[string];
  }
  return out;
}

/** The span as exported: its own object, the recorded one untouched. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  return Object.create(span, {
    name: { value: clean('name', span.name) },
    attributes: { value: redactAttributes(span.attributes) },
    events: {
      value: span.events.map((e) => ({ ...e, attributes: e.attributes && redactAttributes(e.attributes) })),
    },
    status: {
      value: span.status.message
        ? { ...span.status, message: clean('status', span.status.message) }
        : span.status,
    },
  }) as ReadableSpan;
}

export function redactingExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
      inner.export(spans.map(redactSpan), done),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
