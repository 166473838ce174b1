import type { Database } from '../db/database.js';
import { pruneBatch } from './prune.js';

export type OutboxEvent = { id: string; routing_key: string; payload: unknown; traceparent?: string | null };

/** An event as the stream sends it: numbered in the order it was published. */
export type StreamedEvent = { seq: number; routing_key: string; payload: Record<string, unknown> };

// One relayer at a time (whichever worker holds this lock): numbering and publishing in one order
// is what lets a client resume from the last number it saw.
const RELAY_LOCK = "hashtext('outbox_events relay')";

export function createOutboxRepository(db: Pick<Database, 'transaction' | 'query'>) {
  return {
    /**
     * Numbers up to `limit` pending events, publishes them (in that order, in one call) and marks them relayed, in
     * one transaction: a failed publish rolls back and leaves them for the next pass (at-least-once).
     * Returns how many went; 0 also when another worker is relaying.
     */
    async relay(
      limit: number,
      publish: (events: (OutboxEvent & { seq: number })[]) => Promise<void>,
    ): Promise<number> {
      return db.transaction(async (tx) => {
        const [lock] = await tx.query<{ ok: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS ok`,
          [],
          'outbox_relay_lock',
        );
        if (!lock?.ok) return 0;
        const events = await tx.query<OutboxEvent & { seq: string }>(
          `WITH pending AS (
             SELECT id FROM outbox_events WHERE relayed_at IS NULL ORDER BY id LIMIT $1
           ), numbered AS (
             SELECT p.id, nextval('outbox_events_seq') AS seq FROM (SELECT id FROM pending ORDER BY id) p
           )
           UPDATE outbox_events o SET seq = numbered.seq, relayed_at = now()
           FROM numbered WHERE o.id = numbered.id
           RETURNING o.id::text AS id, o.seq::text AS seq, o.routing_key, o.payload, o.traceparent`,
          [limit],
          'outbox_take',
        );
        events.sort((a, b) => Number(a.seq) - Number(b.seq));
        if (events.length > 0) await publish(events.map((event) => ({ ...event, seq: Number(event.seq) })));
        return events.length;
      });
    },

    /** Relayed events after `seq`, in order, at most `limit` (a reconnecting stream's catch-up). */
    async after(seq: number, limit: number): Promise<StreamedEvent[]> {
      const rows = await db.query<StreamedEvent & { seq: string }>(
        // By the column, not the text alias of the same name: '10' sorts before '9'.
        `SELECT seq::text AS seq, routing_key, payload FROM outbox_events
         WHERE seq > $1 ORDER BY outbox_events.seq LIMIT $2`,
        [seq, limit],
        'outbox_after',
      );
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    /** The oldest number still kept: a client last seeing one before it has missed events. */
    async oldestKept(): Promise<number | undefined> {
      const [row] = await db.query<{ seq: string | null }>(
        'SELECT min(seq)::text AS seq FROM outbox_events WHERE seq IS NOT NULL',
        [],
        'outbox_oldest',
      );
      return row?.seq ? Number(row.seq) : undefined;
    },

    /** Deletes up to `limit` relayed events older than `before`; how many went. */
    async pruneRelayed(before: Date, limit: number): Promise<number> {
      return pruneBatch(
        db,
        'outbox_prune',
        `DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events WHERE relayed_at < $1 ORDER BY id LIMIT $2
         )`,
        before,
        limit,
      );
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
