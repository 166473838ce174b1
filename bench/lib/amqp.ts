// Admin-side RabbitMQ helpers: the bench's own queues and exchanges, removed at cleanup.
import amqp from 'amqplib';

/** Fails fast, with the address in the message, when the broker is not there. */
export async function checkBroker(uri: string): Promise<void> {
  try {
    const conn = await amqp.connect(uri, { timeout: 2_000 });
    await conn.close();
  } catch (err) {
    throw new Error(`RabbitMQ at ${new URL(uri).host}: ${(err as Error).message}`);
  }
}

/**
 * Deletes queues, then exchanges, each on a channel of its own (a failed delete closes its channel).
 * Returns the failures (missing ones count as deleted: RabbitMQ deletes idempotently).
 */
export async function deleteTopology(
  uri: string,
  what: { queues: readonly string[]; exchanges: readonly string[] },
): Promise<string[]> {
  const conn = await amqp.connect(uri, { timeout: 2_000 });
  conn.on('error', () => {});
  const failed: string[] = [];
  const attempt = async (label: string, fn: (ch: amqp.Channel) => Promise<unknown>) => {
    try {
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      await fn(ch);
      await ch.close();
    } catch (err) {
      failed.push(`${label}: ${(err as Error).message}`);
    }
  };
  try {
    for (const q of what.queues) await attempt(`queue ${q}`, (ch) => ch.deleteQueue(q));
    for (const x of what.exchanges) await attempt(`exchange ${x}`, (ch) => ch.deleteExchange(x));
  } finally {
    await conn.close().catch(() => {});
  }
  return failed;
}
