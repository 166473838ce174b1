import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, buildWorkerApp } from '../app.js';
import { compose, composeWorker } from '../compose.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { createMemoryTransport } from '../queue/memory-transport.js';
import { createLogger, flushLogger, type Logger } from '../telemetry/logger.js';
import type { Worker } from '../worker/runner.js';

/** Loads config or exits 1 with the bad variable's name on stderr. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export function exitOnFatal(logger: Logger) {
  const fatal = (kind: string) => (err: unknown) => {
    logger.fatal({ err }, kind);
    flushLogger(logger);
    process.exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}

/**
 * Composes, listens, and shuts down gracefully on SIGTERM/SIGINT: readiness turns 503, then the
 * listener closes (new connections refused), in-flight requests finish, idle keep-alive sockets close,
 * pools close, exit 0. If that takes longer than SHUTDOWN_GRACE the process exits 1.
 */
export async function runServer(
  config: Config,
  opts: { role: string; embeddedWorker?: boolean },
): Promise<void> {
  const logger = createLogger({ level: config.logLevel, base: { role: opts.role } });
  exitOnFatal(logger);

  let container: Awaited<ReturnType<typeof compose>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let worker: Worker | undefined;
  let workerApp: Awaited<ReturnType<typeof buildWorkerApp>> | undefined;
  try {
    container = await compose({ config, logger });
    app = await buildApp(container);
    await app.listen({ host: config.host, port: config.serverPort });
    if (opts.embeddedWorker) {
      logger.info('embedded: running the worker in-process on an in-process transport over the tasks table');
      worker = composeWorker(container, createMemoryTransport());
      await worker.start();
      // The worker's own health and metrics, on its port as a separate worker would serve them.
      workerApp = await buildWorkerApp(container, { connected: () => true });
      await workerApp.listen({ host: config.host, port: config.workerPort });
    }
    flushLogger(logger);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    flushLogger(logger);
    process.exit(1);
  }

  onShutdownSignal({
    logger,
    graceMs: config.shutdownGraceMs,
    async stop() {
      app.lifecycle.draining = true;
      if (workerApp) workerApp.lifecycle.draining = true;
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      // Tasks in hand finish (bounded by the grace timer) while the HTTP side drains.
      await Promise.all([worker?.stop(), app.close(), workerApp?.close()]);
      await container.close();
    },
  });
}

/**
 * On SIGTERM or SIGINT, runs `stop` once and exits 0; exits 1 if it fails or outlasts the grace period
 * (whatever was not finished by then, e.g. an unacked delivery, is left for another instance).
 */
export function onShutdownSignal(opts: { logger: Logger; graceMs: number; stop: () => Promise<void> }): void {
  const { logger, graceMs } = opts;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal, graceMs }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown grace period exceeded; exiting');
      flushLogger(logger);
      process.exit(1);
    }, graceMs);
    force.unref();
    try {
      await opts.stop();
      logger.info({ ms: Date.now() - started }, 'stopped');
      flushLogger(logger);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      flushLogger(logger);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
