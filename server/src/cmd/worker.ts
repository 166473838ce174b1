// Worker entry point (`npm run start:worker`): runs tasks from RabbitMQ, schedules due ones from
// PostgreSQL; serves /health, /health/ready and /metrics on WORKER_PORT. Several may run at once.
import { buildWorkerApp } from '../app.js';
import { compose, composeWorker } from '../compose.js';
import { onShutdownSignal } from '../lifecycle/shutdown.js';
import { exitOnFatal, loadConfigOrExit } from '../lifecycle/startup.js';
import { createAmqpTransport } from '../queue/amqp-transport.js';
import { createLogger, flushLogger } from '../telemetry/logger.js';

const config = loadConfigOrExit();
for (const [name, value] of [
  ['DB_URI', config.dbUri],
  ['QUEUE_URI', config.queueUri],
] as const) {
  if (!value) {
    process.stderr.write(
      `config error: ${name} is required for the worker (npm start runs an embedded one)\n`,
    );
    process.exit(1);
  }
}

const logger = createLogger({ level: config.logLevel, base: { role: 'worker' } });
exitOnFatal(logger);

const container = await compose({ config, logger });
const transport = createAmqpTransport({
  uri: config.queueUri as string,
  namespace: config.queueNamespace,
  logger,
});
const worker = composeWorker(container, transport);
const app = await buildWorkerApp(container, transport);
await app.listen({ host: config.host, port: config.workerPort });
await transport.connectedWithin(5000);
await worker.start();
void flushLogger(logger);

onShutdownSignal({
  logger,
  graceMs: config.shutdownGraceMs,
  async stop() {
    app.lifecycle.draining = true;
    // Stop taking deliveries and finish the tasks in hand; unacked ones return to the queue.
    await worker.stop();
    await transport.close();
    await app.close();
    await container.close();
  },
});
