import type { Logger } from 'pino';
import type { ExportRepository } from '../repository/exports.js';
import type { IdempotencyRepository } from '../repository/idempotency.js';
import type { OutboxRepository } from '../repository/outbox.js';
import type { TaskRepository } from '../repository/tasks.js';

const BATCH = 1_000;

/**
 * Deletes what must not be kept: exports (personal data) past EXPORT_TTL, finished tasks past
 * TASK_RETENTION, Idempotency-Keys (and the answers they keep) past IDEMPOTENCY_TTL. In batches, so one pass never holds long locks; every worker may run it, since
 * deleting what another already deleted is harmless.
 */
export function createRetention(opts: {
  tasks: Pick<TaskRepository, 'pruneFinished'>;
  exports: Pick<ExportRepository, 'pruneOlder'>;
  events?: Pick<OutboxRepository, 'pruneRelayed'>;
  exportTtlMs: number;
  taskRetentionMs: number;
  /** Relayed events are kept this long for event streams that reconnect. */
  eventRetentionMs?: number;
  idempotency?: Pick<IdempotencyRepository, 'pruneOlder'>;
  idempotencyTtlMs?: number;
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  clock?: () => Date;
}) {
  const clock = opts.clock ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;

  async function drain(prune: (before: Date, limit: number) => Promise<number>, before: Date) {
    let total = 0;
    for (;;) {
      const n = await prune(before, BATCH);
      total += n;
      if (n < BATCH || stopping) return total;
    }
  }

  /** One pass; resolves with what it deleted. */
  async function pass(): Promise<{ exports: number; tasks: number; events: number; keys: number }> {
    const now = clock().getTime();
    const exports = await drain(opts.exports.pruneOlder, new Date(now - opts.exportTtlMs));
    const tasks = await drain(opts.tasks.pruneFinished, new Date(now - opts.taskRetentionMs));
    const { events: outbox, eventRetentionMs } = opts;
    const events =
      outbox && eventRetentionMs !== undefined
        ? await drain(outbox.pruneRelayed, new Date(now - eventRetentionMs))
        : 0;
    const { idempotency, idempotencyTtlMs } = opts;
    const keys =
      idempotency && idempotencyTtlMs !== undefined
        ? await drain(idempotency.pruneOlder, new Date(now - idempotencyTtlMs))
        : 0;
    if (exports || tasks || keys) {
      opts.logger.info(
        { exports, tasks, keys },
        'expired exports, finished tasks and idempotency keys deleted',
      );
    }
    return { exports, tasks, events, keys };
  }

  function tick() {
    running = pass()
      .then(() => undefined)
      .catch((err: Error) => opts.logger.warn({ err: err.message }, 'retention pass failed'))
      .finally(() => {
        running = undefined;
        if (!stopping) timer = setTimeout(tick, opts.intervalMs);
      });
  }

  return {
    pass,
    start: tick,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
