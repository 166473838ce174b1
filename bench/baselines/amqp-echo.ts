// Baseline: the broker leg of a task with nothing else — no database, no scheduler, no handler.
// Over one connection, like a worker: a confirm channel publishes persistent messages shaped like the
// service's ({id, type}) to a durable quorum queue, up to CONFIRM_WINDOW (default 100, the scheduler's
// batch) awaiting confirms at a time, and a second channel consumes them with manual acks and
// prefetch PREFETCH (default 16, a worker's default concurrency), parsing each as the worker does.
// An unmeasured WARMUP round (default 200) first; then COUNT messages, timed from the first publish to
// the last ack. Prints one JSON line: {"messages":…,"seconds":…,"msgsPerSec":…}. Deletes its queue.
//   QUEUE_URI=amqp://guest:guest@127.0.0.1:5672 QUEUE=bench.amqp-echo COUNT=2000 \
//     node --import tsx bench/baselines/amqp-echo.ts
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: expected an integer >= 0`);
  return value;
}

const uri = process.env.QUEUE_URI ?? 'amqp://guest:guest@127.0.0.1:5672';
const queue = process.env.QUEUE ?? 'bench.amqp-echo';
const count = intEnv('COUNT', 2000);
const warmup = intEnv('WARMUP', 200);
const prefetch = intEnv('PREFETCH', 16);
const window = Math.max(1, intEnv('CONFIRM_WINDOW', 100));

const conn = await amqp.connect(uri, { timeout: 2_000 });
const pub = await conn.createConfirmChannel();
await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
const sub = await conn.createChannel();
await sub.prefetch(prefetch);

let received = 0;
let target = 0;
let reached: (() => void) | undefined;
await sub.consume(
  queue,
  (msg) => {
    if (!msg) return;
    JSON.parse(msg.content.toString()) as { id: string; type: string };
    sub.ack(msg);
    received += 1;
    if (received === target) reached?.();
  },
  { noAck: false },
);

const publish = (body: Buffer) =>
  new Promise<void>((resolve, reject) => {
    pub.publish('', queue, body, { persistent: true, contentType: 'application/json' }, (err) =>
      err ? reject(err) : resolve(),
    );
  });

/** Publishes `n` messages and resolves, in seconds, once all of them are consumed and acked. */
async function round(n: number): Promise<number> {
  const consumed = new Promise<void>((resolve) => {
    reached = resolve;
  });
  target = received + n;
  const started = performance.now();
  let confirms: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    confirms.push(publish(Buffer.from(JSON.stringify({ id: randomUUID(), type: 'echo' }))));
    if (confirms.length >= window) {
      await Promise.all(confirms);
      confirms = [];
    }
  }
  await Promise.all(confirms);
  if (n > 0) await consumed;
  return (performance.now() - started) / 1000;
}

if (warmup > 0) await round(warmup);
const seconds = await round(count);
await sub.close();
await pub.deleteQueue(queue);
await conn.close();
process.stdout.write(
  `${JSON.stringify({ messages: count, seconds, msgsPerSec: count / seconds, prefetch, confirmWindow: window })}\n`,
);
