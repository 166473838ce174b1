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
      timestamp: isoTimeEachMs(),
      formatters: { level: (label) => ({ level: label }) },
      mixin: logTraceFields,
      mixinMergeStrategy: mergeTraceFields,
    },
    destination,
  );
}

/**
 * pino's ISO timestamp, formatted once per millisecond instead of once per line: a busy server
 * writes several lines in each one, and formatting the date cost more than the rest of the line.
 */
export function isoTimeEachMs(now: () => number = Date.now): () => string {
  let at = Number.NaN;
  let text = '';
  return () => {
    const t = now();
    if (t !== at) {
      at = t;
      text = `,"time":"${new Date(t).toISOString()}"`;
    }
    return text;
  };
}

/**
 * Writes out what the logger still holds, settling within `timeoutMs` whether or not it could: a
 * stdout nobody reads any more fails every write with EPIPE, and the stream's own synchronous flush
 * retries a failed write for ever (a server told to stop would never exit).
 */
export function flushLogger(logger: Logger, timeoutMs = 1_000): Promise<void> {
  const stream = (logger as unknown as Record<symbol, { flush?: (cb: (err?: Error) => void) => void }>)[
    pino.symbols.streamSym
  ];
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      if (stream?.flush) stream.flush(done);
      else done();
    } catch {
      done(); // destroyed already: nothing more can be written
    }
  });
}
