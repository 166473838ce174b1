// An in-process tracer for tests that check spans without a collector: what the SDK would export,
// kept in memory, with the context manager and W3C propagation the bootstrap sets up.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** Registers a global tracer provider for this test process (each test file is a process of its own). */
export function inMemoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    tracer: trace.getTracer('test'),
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    trace: (traceId: string) =>
      exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
  };
}

export const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
