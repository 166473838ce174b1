import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { contextOfTraceparent } from '../telemetry/trace-context.js';
import type { OutgoingEvent } from './transport.js';

// The in-process transport's spans and headers, made as instrumentation-amqplib makes them for
// RabbitMQ (a `publish <exchange>` producer span whose context travels in W3C trace headers, a
// `<queue> process` consumer span continuing it), so embedded mode traces a task the same way; and
// the spans of a batch of events, which both transports make themselves.

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

/**
 * Sends a batch of events as one message, with a producer span per event in the context of the
 * change that wrote it (as a message of its own would have had), ended once the batch is confirmed.
 * The send itself is untraced: its one span would belong to no event's trace in particular.
 */
export async function tracedEventBatch<T>(
  system: string,
  exchange: string,
  events: readonly Pick<OutgoingEvent, 'routingKey' | 'traceparent'>[],
  send: () => Promise<T>,
): Promise<T> {
  const spans = events.map((e) =>
    tracer().startSpan(
      `publish ${exchange}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': system,
          'messaging.destination.name': exchange,
          'messaging.rabbitmq.destination.routing_key': e.routingKey,
          'messaging.batch.message_count': events.length,
        },
      },
      contextOfTraceparent(e.traceparent),
    ),
  );
  try {
    return await context.with(suppressTracing(ROOT_CONTEXT), send);
  } catch (err) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}
