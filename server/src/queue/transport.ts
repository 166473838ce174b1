/** What travels: only the task's id and type. The task table holds everything else. */
export type TaskMessage = { id: string; type: string };

/** An event as the exchange carries it. */
export type BrokerEvent = { routingKey: string; payload: unknown; seq: number };

/** An event to publish, with the context of the change that wrote it (its publish span's parent). */
export type OutgoingEvent = BrokerEvent & { traceparent?: string | null };

/** What the consumer decided about a delivery. */
export type Disposition = 'ack' | 'dead-letter';

export interface Transport {
  readonly kind: 'amqp' | 'memory';
  /** Resolves once the broker has confirmed the message (publisher confirms). */
  publish(message: TaskMessage): Promise<void>;
  /**
   * Publishes domain events (e.g. `profile.updated`), numbered by `seq`, to the events topic
   * exchange, in order and confirmed: several to a message, so that a busy stream costs a message
   * per batch rather than per event. Each event still gets a publish span in its change's context.
   */
  publishEvents(events: readonly OutgoingEvent[]): Promise<void>;
  /**
   * Receives every event published to the exchange (from this or any other process), on a queue
   * of this subscriber's own that lives as long as it does: the event stream's fan-out.
   */
  subscribeEvents(handler: (event: BrokerEvent) => void): Promise<Consumer>;
  /** Delivers at most `prefetch` messages at a time; each is settled by the handler's result. */
  consume(handler: (message: TaskMessage) => Promise<Disposition>, prefetch: number): Promise<Consumer>;
  close(): Promise<void>;
}

export type Consumer = {
  /** Stops taking deliveries; resolves once the ones in hand are settled. */
  stop(): Promise<void>;
};
