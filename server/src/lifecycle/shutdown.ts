import { flushLogger, type Logger } from '../telemetry/logger.js';
import { flushTraces } from '../telemetry/trace-context.js';

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
      void flushLogger(logger, 500).then(() => process.exit(1));
    }, graceMs);
    force.unref();
    try {
      await opts.stop();
      logger.info({ ms: Date.now() - started }, 'stopped');
      await flushTraces();
      await flushLogger(logger);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      await flushLogger(logger);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
