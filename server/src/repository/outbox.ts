import type { Database } from '../db/database.js';

export type OutboxEvent = { id: string; routing_key: string; payload: unknown };

export function createOutboxRepository(db: Pick<Database, 'transaction'>) {
  return {
    /**
     * Publishes up to `limit` pending events in order and deletes them once published, in one
     * transaction: a failed publish rolls back and leaves them for the next pass (at-least-once).
     * SKIP LOCKED lets several workers relay at once.
     */
    async relay(limit: number, publish: (event: OutboxEvent) => Promise<void>): Promise<number> {
      return db.transaction(async (tx) => {
        const events = await tx.query<OutboxEvent>(
          `SELECT id::text AS id, routing_key, payload FROM outbox_events
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
          'outbox_take',
        );
        // All in flight at once: frames leave in order on the one channel, the confirms come back together.
        await Promise.all(events.map((event) => publish(event)));
        if (events.length > 0) {
          await tx.query(
            'DELETE FROM outbox_events WHERE id = ANY($1::bigint[])',
            [events.map((e) => e.id)],
            'outbox_done',
          );
        }
        return events.length;
      });
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
