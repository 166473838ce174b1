import pino, { type Logger } from 'pino';
import { logTraceFields, mergeTraceFields } from './trace-context.js';

export type { Logger };

/**
 * JSON logs to stdout. In production the destination is asynchronous and buffered (lines are written
 * in 4 KiB batches, not one write per request); it is flushed at least once a second so a quiet
 * server never holds lines back, and `flushLogger` empties it before exit. A line written inside a
 * traced span carries its `trace_id` and `span_id` (read from the OpenTelemetry API: nothing to read,
 * and nothing added, when tracing is off).
 */
export function createLogger(opts: {
  level: string;
  sync?: boolean;
  base?: Record<string, unknown>;
}): Logger {
  const destination = opts.sync
    ? pino.destination({ dest: 1, sync: true })
    : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  if (!opts.sync) {
    setInterval(() => {
      try {
        destination.flush();
      } catch {
        // a flush while a write is still in flight throws; the next tick retries
      }
    }, 1000).unref();
  }
  return pino(
    {
      level: opts.level,
      base: { service: 'profile-service', ...opts.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: logTraceFields,
      mixinMergeStrategy: mergeTraceFields,
    },
    destination,
  );
}

export function flushLogger(logger: Logger): void {
  try {
    const stream = (logger as unknown as Record<symbol, { flushSync?: () => void }>)[pino.symbols.streamSym];
    stream?.flushSync?.();
  } catch {
    // A closed stdout (e.g. the parent went away) must not turn a clean shutdown into a crash.
  }
}
