import type { ConsumeMessage } from 'amqplib';
import type { BrokerEvent, OutgoingEvent } from './transport.js';

// How events travel on the events exchange: several to a message, a JSON array in stream order.

/** The type of a message carrying several events, all of its routing key. */
export const EVENT_BATCH = 'event-batch';
/** A batch message's body stays under this (one larger event goes alone). */
const EVENT_BATCH_BYTES = 1 << 20;

/**
 * Events as batch messages: each a run of consecutive events of one routing key (so a queue bound
 * to `profile.*` still gets exactly the profile events), its body a JSON array in stream order,
 * under EVENT_BATCH_BYTES where it can be. Runs are never reordered: a queue bound to everything
 * receives the events in the order they are numbered.
 */
export function eventMessages(events: readonly OutgoingEvent[]): { routingKey: string; body: string }[] {
  const messages: { routingKey: string; body: string }[] = [];
  let parts: string[] = [];
  let key = '';
  let size = 2;
  const flush = () => {
    if (parts.length > 0) messages.push({ routingKey: key, body: `[${parts.join(',')}]` });
    parts = [];
    size = 2;
  };
  for (const { routingKey, payload, seq } of events) {
    const part = JSON.stringify({ routingKey, seq, payload });
    if (routingKey !== key || size + part.length + 1 > EVENT_BATCH_BYTES) flush();
    key = routingKey;
    parts.push(part);
    size += part.length + 1;
  }
  flush();
  return messages;
}

/** An event a stream can send: a routing key, and a number a client can resume from. */
const isEvent = (e: Partial<BrokerEvent> | null): e is BrokerEvent =>
  typeof e?.routingKey === 'string' && Number.isSafeInteger(e.seq);

/**
 * The events a delivery carries: a batch, or one event as a relay before batches sent it. Entries
 * without a routing key or a whole number are left out.
 */
export function eventsOf(msg: Pick<ConsumeMessage, 'content' | 'fields' | 'properties'>): BrokerEvent[] {
  const body = JSON.parse(msg.content.toString()) as unknown;
  const events =
    msg.properties.type === EVENT_BATCH && Array.isArray(body)
      ? (body as Partial<BrokerEvent>[])
      : [{ routingKey: msg.fields.routingKey, payload: body, seq: Number(msg.properties.messageId) }];
  return events.filter(isEvent);
}
