import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Options,
} from 'amqplib';
import type { Logger } from 'pino';
import { corkPerTurn } from './cork-per-turn.js';
import { EVENT_BATCH, eventMessages, eventsOf } from './event-batches.js';
import { tracedEventBatch } from './message-tracing.js';
import type {
  BrokerEvent,
  Consumer,
  Disposition,
  OutgoingEvent,
  TaskMessage,
  Transport,
} from './transport.js';

/** Exchange and queue names under a namespace, so deployments (and test runs) sharing a broker never mix. */
export function topology(namespace: string) {
  return {
    exchange: `${namespace}.tasks`,
    queue: `${namespace}.tasks`,
    routingKey: 'task',
    deadExchange: `${namespace}.tasks.dead`,
    deadQueue: `${namespace}.tasks.dead`,
    eventsExchange: `${namespace}.events`,
  };
}

/** Declared identically by every publisher and consumer, so either side may start first. */
async function declare(ch: Channel, TOPOLOGY: ReturnType<typeof topology>): Promise<void> {
  await ch.assertExchange(TOPOLOGY.exchange, 'direct', { durable: true });
  await ch.assertExchange(TOPOLOGY.deadExchange, 'fanout', { durable: true });
  await ch.assertExchange(TOPOLOGY.eventsExchange, 'topic', { durable: true });
  await ch.assertQueue(TOPOLOGY.deadQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(TOPOLOGY.deadQueue, TOPOLOGY.deadExchange, '');
  await ch.assertQueue(TOPOLOGY.queue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': TOPOLOGY.deadExchange },
  });
  await ch.bindQueue(TOPOLOGY.queue, TOPOLOGY.exchange, TOPOLOGY.routingKey);
}

/**
 * RabbitMQ transport: durable quorum queue with a dead-letter exchange, publisher confirms, manual
 * acks and bounded prefetch. It reconnects by itself; while it is down `publish` fails fast (the
 * scheduler leaves those tasks scheduled) and unacknowledged deliveries return to the queue.
 */
export function createAmqpTransport(opts: {
  uri: string;
  namespace: string;
  logger: Pick<Logger, 'info' | 'warn'>;
}): Transport & {
  connected(): boolean;
  connectedWithin(ms: number): Promise<boolean>;
} {
  const TOPOLOGY = topology(opts.namespace);
  let model: ChannelModel | undefined;
  let publisher: ConfirmChannel | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  const consumers = new Set<() => Promise<void>>();

  async function connect(): Promise<void> {
    const m = await amqp.connect(opts.uri, { timeout: 2000 });
    m.on('error', () => {}); // 'close' follows and drives the reconnect
    const socket = (m as unknown as { connection?: { stream?: Writable } }).connection?.stream;
    if (socket) corkPerTurn(socket);
    if (closed) {
      // close() ran while this connection was being made: nobody would ever close it.
      await m.close().catch(() => {});
      return;
    }
    try {
      const ch = await m.createConfirmChannel();
      ch.on('error', () => {});
      await declare(ch, TOPOLOGY);
      model = m;
      publisher = ch;
      for (const resume of consumers) await resume();
    } catch (err) {
      model = undefined;
      publisher = undefined;
      await m.close().catch(() => {});
      throw err;
    }
    m.on('close', () => {
      model = undefined;
      publisher = undefined;
      if (!closed) {
        opts.logger.warn('broker connection lost; reconnecting');
        reconnect();
      }
    });
    opts.logger.info('broker connected');
  }

  /** Keeps trying, with capped exponential backoff, until connected or closed. */
  function reconnect(): Promise<void> {
    if (closed || model) return Promise.resolve();
    connecting ??= (async () => {
      for (let attempt = 0; !closed && !model; attempt++) {
        try {
          await connect();
        } catch (err) {
          if (attempt === 0)
            opts.logger.warn({ err: (err as Error).message }, 'broker unreachable; retrying');
          await sleep(Math.min(5000, 100 * 2 ** attempt));
        }
      }
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  /** Publishes persistent JSON and resolves on the broker's confirm; fails at once while disconnected. */
  async function confirmedPublish(
    exchange: string,
    routingKey: string,
    json: string,
    options: Options.Publish,
  ) {
    const ch = publisher;
    if (!ch) {
      void reconnect();
      throw new Error('broker unavailable');
    }
    await new Promise<void>((resolve, reject) => {
      ch.publish(
        exchange,
        routingKey,
        Buffer.from(json),
        { ...options, persistent: true, contentType: 'application/json' },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  return {
    kind: 'amqp',
    connected: () => publisher !== undefined,
    /** Waits until the broker is reachable (at start-up); false if that took longer than `ms`. */
    async connectedWithin(ms: number): Promise<boolean> {
      await Promise.race([reconnect(), sleep(ms)]);
      return model !== undefined;
    },
    publish: (message: TaskMessage) =>
      confirmedPublish(TOPOLOGY.exchange, TOPOLOGY.routingKey, JSON.stringify(message), {
        messageId: message.id,
        type: message.type,
      }),
    publishEvents: (events: readonly OutgoingEvent[]) =>
      tracedEventBatch('rabbitmq', TOPOLOGY.eventsExchange, events, async () => {
        // All in flight at once: frames leave in order on the one channel, the confirms come back together.
        await Promise.all(
          eventMessages(events).map(({ routingKey, body }) =>
            confirmedPublish(TOPOLOGY.eventsExchange, routingKey, body, { type: EVENT_BATCH }),
          ),
        );
      }),

    async subscribeEvents(handler: (event: BrokerEvent) => void): Promise<Consumer> {
      let channel: Channel | undefined;
      let stopped = false;
      const resume = async () => {
        if (stopped || !model) return;
        const ch = await model.createChannel();
        ch.on('error', () => {});
        await declare(ch, TOPOLOGY);
        // A queue of this subscriber's own, gone with its connection: no backlog is kept for a
        // process that is not there (a reconnecting stream catches up from the outbox instead).
        const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
        await ch.bindQueue(queue, TOPOLOGY.eventsExchange, '#');
        await ch.consume(
          queue,
          (msg) => {
            if (!msg) return;
            let events: BrokerEvent[];
            try {
              events = eventsOf(msg);
            } catch {
              return; // a malformed message is dropped: a stream cannot do anything with it
            }
            for (const event of events) {
              try {
                handler(event);
              } catch {
                // one event a stream cannot take does not keep the others from it
              }
            }
          },
          { noAck: true },
        );
        channel = ch;
      };
      consumers.add(resume);
      if (model) await resume();
      else void reconnect();
      return {
        async stop() {
          stopped = true;
          consumers.delete(resume);
          await channel?.close().catch(() => {});
        },
      };
    },

    async consume(handler: (m: TaskMessage) => Promise<Disposition>, prefetch: number): Promise<Consumer> {
      let channel: Channel | undefined;
      let tag: string | undefined;
      let stopped = false;
      let inFlight = 0;
      let drained: (() => void) | undefined;

      const onMessage = (ch: Channel) => async (msg: ConsumeMessage | null) => {
        if (!msg) return; // the broker cancelled us; the reconnect re-subscribes
        inFlight++;
        try {
          const message = JSON.parse(msg.content.toString()) as TaskMessage;
          const disposition = await handler(message);
          if (disposition === 'ack') ch.ack(msg);
          else ch.nack(msg, false, false); // to the dead-letter exchange
        } catch {
          // Unsettled outcome (e.g. the database is down): back to the queue for another try.
          try {
            ch.nack(msg, false, true);
          } catch {
            // the channel is gone: the broker requeues the delivery by itself
          }
        } finally {
          inFlight--;
          if (stopped && inFlight === 0) drained?.();
        }
      };

      const resume = async () => {
        if (stopped || !model) return;
        const ch = await model.createChannel();
        ch.on('error', () => {});
        await ch.prefetch(prefetch);
        await declare(ch, TOPOLOGY);
        const ok = await ch.consume(TOPOLOGY.queue, onMessage(ch), { noAck: false });
        channel = ch;
        tag = ok.consumerTag;
      };
      consumers.add(resume);
      // Consuming starts on every (re)connect, even if the broker is down right now.
      if (model) await resume();
      else void reconnect();

      return {
        async stop() {
          stopped = true;
          consumers.delete(resume);
          if (channel && tag) await channel.cancel(tag).catch(() => {});
          if (inFlight > 0) await new Promise<void>((r) => (drained = r));
          await channel?.close().catch(() => {});
        },
      };
    },

    async close() {
      closed = true;
      await connecting;
      await model?.close().catch(() => {});
      model = undefined;
      publisher = undefined;
    },
  };
}
