import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

// The in-process transport's spans and headers, made as instrumentation-amqplib makes them for
// RabbitMQ (a `publish <exchange>` producer span whose context travels in W3C trace headers, a
// `<queue> process` consumer span continuing it), so embedded mode traces a task the same way.

export type Headers = Record<string, string>;

const tracer = () => trace.getTracer('profile-service.queue');

/** Runs `send` inside a producer span, with the headers that carry its context. */
export function tracedPublish<T>(exchange: string, send: (headers: Headers) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    `publish ${exchange}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'in-process', 'messaging.destination.name': exchange },
    },
    (span) => {
      const headers: Headers = {};
      propagation.inject(context.active(), headers);
      return send(headers).finally(() => span.end());
    },
  );
}

/** Runs `receive` inside a consumer span whose parent is the context the headers carry. */
export function tracedConsume<T>(queue: string, headers: Headers, receive: () => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  return tracer().startActiveSpan(
    `${queue} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'in-process', 'messaging.operation': 'process' },
    },
    parent,
    (span) => receive().finally(() => span.end()),
  );
}
