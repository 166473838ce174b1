import { type Headers, tracedConsume, tracedEventBatch, tracedPublish } from './message-tracing.js';
import type { BrokerEvent, Consumer, Disposition, TaskMessage, Transport } from './transport.js';

type Envelope = { message: TaskMessage; headers: Headers };

/**
 * The in-process transport of embedded mode. It loses its queue on exit, which is safe: the tasks
 * table is the source of truth, and a queued task whose lease lapses is handed out again.
 */
export function createMemoryTransport(): Transport & {
  deadLettered: TaskMessage[];
  events: BrokerEvent[];
} {
  // The last events are kept for inspection, and handed to this process's subscribers.
  const events: BrokerEvent[] = [];
  const subscribers = new Set<(event: BrokerEvent) => void>();
  const queue: Envelope[] = [];
  const consumers = new Set<() => void>();
  const deadLettered: TaskMessage[] = [];
  const wake = () => {
    for (const pump of consumers) pump();
  };

  return {
    kind: 'memory',
    deadLettered,
    events,
    publishEvents: (batch) =>
      tracedEventBatch('in-process', 'events', batch, async () => {
        for (const { routingKey, payload, seq } of batch) {
          const event = { routingKey, payload, seq };
          events.push(event);
          if (events.length > 1000) events.shift();
          for (const deliver of subscribers) deliver(event);
        }
      }),
    async subscribeEvents(handler) {
      subscribers.add(handler);
      return {
        async stop() {
          subscribers.delete(handler);
        },
      };
    },
    publish: (message) =>
      tracedPublish('tasks', async (headers) => {
        queue.push({ message, headers });
        queueMicrotask(wake);
      }),
    async consume(handler: (m: TaskMessage) => Promise<Disposition>, prefetch: number): Promise<Consumer> {
      let inFlight = 0;
      let stopped = false;
      let drained: (() => void) | undefined;
      const pump = () => {
        while (!stopped && inFlight < prefetch && queue.length > 0) {
          const envelope = queue.shift() as Envelope;
          const { message } = envelope;
          inFlight++;
          tracedConsume('tasks', envelope.headers, () => handler(message))
            .then((d) => {
              if (d === 'dead-letter') deadLettered.push(message);
            })
            .catch(() => queue.push(envelope)) // an unsettled delivery goes back, as a nack would
            .finally(() => {
              inFlight--;
              if (stopped && inFlight === 0) drained?.();
              pump();
            });
        }
      };
      consumers.add(pump);
      pump();
      return {
        async stop() {
          stopped = true;
          consumers.delete(pump);
          if (inFlight > 0) await new Promise<void>((r) => (drained = r));
        },
      };
    },
    async close() {
      queue.length = 0;
      consumers.clear();
    },
  };
}
