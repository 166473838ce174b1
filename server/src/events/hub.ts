import type { StreamedEvent } from '../repository/outbox.js';

/**
 * This process's fan-out of the event stream: events arrive once (from the events exchange, which
 * every instance consumes) and go to every open stream here. Holds nothing: a stream that was not
 * there catches up from the outbox.
 */
export function createEventHub() {
  const listeners = new Set<(event: StreamedEvent) => void>();
  let newest = 0;
  return {
    publish(event: StreamedEvent): void {
      newest = Math.max(newest, event.seq);
      for (const listen of listeners) listen(event);
    },
    subscribe(listen: (event: StreamedEvent) => void): () => void {
      listeners.add(listen);
      return () => listeners.delete(listen);
    },
    /** The newest number seen live (0 before any). */
    get newest() {
      return newest;
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
