import type { Logger } from 'pino';
import type { ExportRepository } from '../repository/exports.js';
import type { TaskRepository } from '../repository/tasks.js';

const BATCH = 1_000;

/**
 * Deletes what must not be kept: exports (personal data) past EXPORT_TTL, finished tasks past
 * TASK_RETENTION. In batches, so one pass never holds long locks; every worker may run it, since
 * deleting what another already deleted is harmless.
 */
export function createRetention(opts: {
  tasks: Pick<TaskRepository, 'pruneFinished'>;
  exports: Pick<ExportRepository, 'pruneOlder'>;
  exportTtlMs: number;
  taskRetentionMs: number;
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
  async function pass(): Promise<{ exports: number; tasks: number }> {
    const now = clock().getTime();
    const exports = await drain(opts.exports.pruneOlder, new Date(now - opts.exportTtlMs));
    const tasks = await drain(opts.tasks.pruneFinished, new Date(now - opts.taskRetentionMs));
    if (exports || tasks) opts.logger.info({ exports, tasks }, 'expired exports and finished tasks deleted');
    return { exports, tasks };
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
