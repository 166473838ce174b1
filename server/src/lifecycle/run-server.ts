import { setTimeout as sleep } from 'node:timers/promises';
import { type AppFaults, buildApp, buildWorkerApp } from '../app.js';
import { type Container, compose, composeEventFeed, composeWorker } from '../compose.js';
import type { Config } from '../config.js';
import { createAmqpTransport } from '../queue/amqp-transport.js';
import { createMemoryTransport } from '../queue/memory-transport.js';
import type { Consumer } from '../queue/transport.js';
import { createLogger, flushLogger, type Logger } from '../telemetry/logger.js';
import type { Worker } from '../worker/runner.js';
import { drainConnections } from './drain-http.js';
import { onShutdownSignal } from './shutdown.js';
import { exitOnFatal } from './startup.js';

/**
 * The event streams' feed for a server of its own: the events exchange, when there is a broker.
 * Without one, streams still catch up from the outbox on every reconnect, but get nothing live.
 */
async function eventsFromBroker(
  config: Config,
  container: Pick<Container, 'eventHub'>,
  logger: Logger,
): Promise<{ feed: Consumer; transport: { close(): Promise<void> } } | undefined> {
  if (!config.queueUri) {
    logger.warn('QUEUE_URI not set: event streams get no live events');
    return undefined;
  }
  const transport = createAmqpTransport({ uri: config.queueUri, namespace: config.queueNamespace, logger });
  return { feed: await composeEventFeed(container, transport), transport };
}

/**
 * Composes, listens, and shuts down gracefully on SIGTERM/SIGINT: readiness turns 503 and responses
 * carry Connection: close; after SHUTDOWN_DELAY the listener closes (new connections refused), open
 * keep-alive connections get SHUTDOWN_LINGER to bring one last request, in-flight requests finish,
 * connections still idle close, pools close, exit 0. Past SHUTDOWN_GRACE the process exits 1.
 */
export async function runServer(
  config: Config,
  opts: { role: string; embeddedWorker?: boolean; alsoStop?: () => Promise<void>; faults?: AppFaults },
): Promise<void> {
  const logger = createLogger({ level: config.logLevel, base: { role: opts.role } });
  exitOnFatal(logger);

  let container: Awaited<ReturnType<typeof compose>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let worker: Worker | undefined;
  let workerApp: Awaited<ReturnType<typeof buildWorkerApp>> | undefined;
  let events: { feed: Consumer; transport?: { close(): Promise<void> } } | undefined;
  try {
    container = await compose({ config, logger });
    app = await buildApp(container, opts.faults);
    await app.listen({ host: config.host, port: config.serverPort });
    if (opts.embeddedWorker) {
      logger.info('embedded: running the worker in-process on an in-process transport over the tasks table');
      const transport = createMemoryTransport();
      events = { feed: await composeEventFeed(container, transport) };
      worker = composeWorker(container, transport);
      await worker.start();
      // The worker's own health and metrics, on its port as a separate worker would serve them.
      workerApp = await buildWorkerApp(container, { connected: () => true });
      await workerApp.listen({ host: config.host, port: config.workerPort });
    }
    if (!opts.embeddedWorker) events = await eventsFromBroker(config, container, logger);
    void flushLogger(logger);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    await flushLogger(logger);
    process.exit(1);
  }

  onShutdownSignal({
    logger,
    graceMs: config.shutdownGraceMs,
    async stop() {
      const draining = () => {
        app.lifecycle.draining = true;
      };
      if (workerApp) workerApp.lifecycle.draining = true;
      // With a delay, the load balancer is told at once (readiness 503, Connection: close). Without
      // one, the connections already queued are accepted first, keep-alive clients kept on theirs
      // meanwhile: a Connection: close then would send them reconnecting into a listener about to
      // close, whose queue it resets.
      if (config.shutdownDelayMs > 0) {
        draining();
        await sleep(config.shutdownDelayMs);
      }
      // Tasks in hand finish (bounded by the grace timer) while the HTTP side drains.
      const drainThenClose = async () => {
        await drainConnections(app.server, config.shutdownLingerMs, draining);
        await app.close();
      };
      await Promise.all([worker?.stop(), drainThenClose(), workerApp?.close()]);
      await events?.feed.stop();
      await events?.transport?.close();
      await container.close();
      await opts.alsoStop?.();
    },
  });
}
