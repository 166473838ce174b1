import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs to stdout. In production the destination is asynchronous (writes are coalesced off the
 * request path); it is flushed on shutdown by `flushLogger`.
 */
export function createLogger(opts: {
  level: string;
  sync?: boolean;
  base?: Record<string, unknown>;
}): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'profile-service', ...opts.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: opts.sync ?? false }),
  );
}

export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A closed stdout (e.g. the parent went away) must not turn a clean shutdown into a crash.
  }
}
