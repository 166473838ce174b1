import type { Logger } from 'pino';
import type { Transport } from '../queue/transport.js';
import type { OutboxRepository } from '../repository/outbox.js';

const BATCH = 100;

/**
 * Relays outbox events to the events exchange, numbered, a batch at a time, marked relayed once
 * the broker confirms them. A loop of its own, beside the task scheduler, so a backlog of events never delays
 * due tasks; it runs back to back while a backlog remains, and every `pollMs` otherwise. Every
 * worker runs it; one relays at a time (the outbox's lock), the others find nothing to do.
 */
export function createEventRelay(opts: {
  outbox: Pick<OutboxRepository, 'relay'>;
  transport: Pick<Transport, 'publishEvents'>;
  logger: Pick<Logger, 'warn'>;
  pollMs: number;
}) {
  let stopping = false;
  let relaying: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function tick() {
    if (stopping) return;
    let full = false;
    relaying = opts.outbox
      // Each event's publish span is in the context of the change that wrote it, not this loop's.
      .relay(BATCH, (events) =>
        opts.transport.publishEvents(
          events.map((e) => ({
            routingKey: e.routing_key,
            payload: e.payload,
            seq: e.seq,
            traceparent: e.traceparent ?? null,
          })),
        ),
      )
      .then((n) => {
        full = n === BATCH;
      })
      .catch((err) => opts.logger.warn({ err: (err as Error).message }, 'event relay failed'))
      .finally(() => {
        relaying = undefined;
        if (!stopping) timer = setTimeout(tick, full ? 0 : opts.pollMs);
      });
  }

  return {
    start: tick,
    /** Stops relaying; resolves once the batch in hand is confirmed or failed. */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await relaying;
    },
  };
}
