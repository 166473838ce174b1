// What the HTTP scenarios' writes leave behind, settled before a task is measured. Their profile events
// are in the outbox (the baselines write none), tens of thousands of them: the workers relay them to the
// broker, as they would in production, and the bench waits for that (and reports how fast it went)
// rather than measuring tasks beside it. Nothing is deleted: every event the writes owe is published.
// Then the maintenance those writes made due (the relay's dead rows, the dirty pages) is done at once
// instead of under the tasks' commits. Together, relaying and that maintenance took a third to a half
// of the measured throughput on 2 CPUs.
import type pg from 'pg';

export type BacklogResult = {
  /** Events pending when the task parts began. */
  events: number;
  /** From the first worker's start (its warm-up batch included) to the last of them relayed. */
  seconds: number;
  perSec: number;
  /** Events still pending at the timeout (0 when all went). */
  left: number;
};

const POLL_MS = 250;

async function pending(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM outbox_events WHERE relayed_at IS NULL',
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Starts the relaying (`startRelay`: the first worker) and waits, up to `timeoutMs`, until no event is
 * pending; null when none was.
 */
export async function relayBacklog(
  db: pg.Client,
  startRelay: () => Promise<void>,
  timeoutMs: number,
): Promise<BacklogResult | null> {
  const events = await pending(db);
  const started = performance.now();
  await startRelay();
  if (events === 0) return null;
  let left = await pending(db);
  while (left > 0 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    left = await pending(db);
  }
  const seconds = (performance.now() - started) / 1000;
  const result = { events, seconds, perSec: (events - left) / seconds, left };
  console.log(
    `relayed ${events - left} of ${events} outbox events the HTTP scenarios' writes left, ` +
      `in ${seconds.toFixed(1)} s (${result.perSec.toFixed(0)} events/s, the worker's start and warm-up included)`,
  );
  return result;
}

/** The relay's dead rows vacuumed and the dirty pages written out, before the tasks' commits. */
export async function settleDatabase(db: pg.Client): Promise<void> {
  // Both need a superuser or the table's owner (and pg_checkpoint); without, the tasks run beside them.
  await db
    .query('VACUUM (ANALYZE) outbox_events')
    .catch((err: Error) => console.log(`no VACUUM before the tasks: ${err.message}`));
  await db
    .query('CHECKPOINT')
    .catch((err: Error) => console.log(`no CHECKPOINT before the tasks: ${err.message}`));
}
