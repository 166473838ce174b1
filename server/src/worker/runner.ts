import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { createEventRelay } from '../events/relay.js';
import { clip } from '../lib/clip.js';
import { coalesce } from '../lib/coalesce.js';
import { isUuid } from '../lib/ids.js';
import type { Consumer, Disposition, TaskMessage, Transport } from '../queue/transport.js';
import type { OutboxRepository } from '../repository/outbox.js';
import type { TaskRepository } from '../repository/tasks.js';
import { backoffMs, PermanentTaskError, type TaskType } from '../tasks/task-type.js';
import type { TaskMetrics } from '../telemetry/metrics.js';
import { activeTraceparent } from '../telemetry/trace-context.js';
import { inAttemptSpan, publishInSubmitterContext } from './task-trace.js';

export type WorkerOptions = {
  repo: Pick<
    TaskRepository,
    'takeDue' | 'release' | 'claimMany' | 'heartbeat' | 'succeedMany' | 'retry' | 'fail'
  >;
  outbox: Pick<OutboxRepository, 'relay'>;
  transport: Transport;
  types: ReadonlyMap<string, TaskType>;
  metrics: TaskMetrics;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a queued or running task is owned before it is handed out again. */
  leaseMs: number;
  /** The scheduler's safety net: it also wakes at once when told a task became due. */
  pollMs: number;
  /** Subscribes to "a task became due" notifications; returns the unsubscribe. */
  listenForDue?: (onDue: () => void) => Promise<() => Promise<void>>;
  concurrency: number;
  /** Deletes expired exports and old finished tasks, on a timer of its own. */
  retention?: { start(): void; stop(): Promise<void> };
};

/**
 * The worker: a scheduler that publishes due tasks from the table (safe with several workers:
 * SKIP LOCKED), the relay of outbox events, and a consumer that claims each delivery, runs its handler under a renewed lease,
 * and records the outcome fenced by attempt number (a stale attempt cannot overwrite a newer one).
 */
export function createWorker(opts: WorkerOptions) {
  const { repo, transport, types, metrics, logger } = opts;
  const relay = createEventRelay({ outbox: opts.outbox, transport, logger, pollMs: opts.pollMs });
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let unlisten: (() => Promise<void>) | undefined;
  let ticking: Promise<void> | undefined;
  const inFlight = new Map<string, AbortController>();
  // The deliveries in hand claim and succeed together: one statement for all that are waiting.
  const claim = coalesce((requests: Parameters<typeof repo.claimMany>[0]) =>
    repo.claimMany(requests, opts.leaseMs),
  );
  const succeed = coalesce(repo.succeedMany);

  async function schedule(): Promise<void> {
    for (;;) {
      const due = await repo.takeDue(100, opts.leaseMs);
      // The whole batch is in flight at once: each confirm waits on the broker's disk, so one at a
      // time would cap a worker at a few dozen tasks per second.
      const outcomes = await Promise.allSettled(
        due.map((task) =>
          publishInSubmitterContext(task, () => transport.publish({ id: task.id, type: task.type })),
        ),
      );
      const failed: string[] = [];
      outcomes.forEach((outcome, i) => {
        const task = due[i] as (typeof due)[number];
        if (outcome.status === 'fulfilled') metrics.published.inc({ type: task.type });
        else failed.push(task.id);
      });
      if (failed.length > 0)
        logger.warn({ failed: failed.length }, 'publish failed; those tasks stay scheduled');
      await repo.release(failed);
      if (due.length < 100 || failed.length > 0) break;
    }
  }

  let again = false;
  function tick() {
    if (stopping) return;
    clearTimeout(timer);
    ticking = schedule()
      .catch((err) => logger.warn({ err: (err as Error).message }, 'scheduler pass failed'))
      .finally(() => {
        ticking = undefined;
        if (stopping) return;
        if (again) {
          again = false;
          tick();
        } else timer = setTimeout(tick, opts.pollMs);
      });
  }
  /** A task became due (NOTIFY from its insert): run a pass now instead of at the next poll. */
  function wake() {
    if (ticking) again = true;
    else tick();
  }

  const handle = async (message: TaskMessage): Promise<Disposition> => {
    // Not a message of ours: nothing could ever claim it (and it would fail its batch's statement).
    if (typeof message?.id !== 'string' || !isUuid(message.id) || typeof message.type !== 'string') {
      logger.warn('malformed task message dead-lettered');
      return 'dead-letter';
    }
    return inAttemptSpan(message.type, message.id, (span) => attempt(message, span));
  };

  async function attempt(message: TaskMessage, span: Span): Promise<Disposition> {
    const task = await claim({ id: message.id, traceparent: activeTraceparent() });
    // Finished, cancelled, or running under another live lease: a duplicate delivery.
    if (!task) {
      span.setAttribute('task.outcome', 'duplicate');
      return 'ack';
    }
    span.setAttribute('task.attempt', task.attempts);
    const type = types.get(task.type);
    const attempt = task.attempts;
    if (!type || attempt > task.max_attempts) {
      const why = type ? 'its worker stopped during the last attempt' : `unknown task type "${task.type}"`;
      await repo.fail(task.id, attempt, why);
      metrics.finished.inc({ type: task.type, outcome: 'failed' });
      span.setAttribute('task.outcome', 'failed');
      return 'dead-letter';
    }

    metrics.started.inc({ type: task.type });
    metrics.schedulerLag.observe(Math.max(0, Date.now() - Date.parse(task.run_at)) / 1000);
    metrics.inFlight.inc();
    const controller = new AbortController();
    inFlight.set(task.id, controller);
    const heartbeat = setInterval(
      () => {
        repo
          .heartbeat(task.id, attempt, opts.leaseMs)
          .then((owned) => {
            if (!owned) controller.abort(new Error('lease lost'));
          })
          .catch(() => {});
      },
      Math.max(100, Math.floor(opts.leaseMs / 3)),
    );
    const started = performance.now();
    try {
      const result = await type.run(task.payload as Record<string, unknown>, {
        signal: controller.signal,
        attempt,
        taskId: task.id,
      });
      await succeed({ id: task.id, attempt, result, traceparent: activeTraceparent() });
      metrics.finished.inc({ type: task.type, outcome: 'succeeded' });
      span.setAttribute('task.outcome', 'succeeded');
      return 'ack';
    } catch (err) {
      // Bounded as the API documents it: a handler's message may be of any length.
      const error = clip(err instanceof Error ? err.message : String(err), 2000);
      if (attempt < task.max_attempts && !(err instanceof PermanentTaskError)) {
        await repo.retry(task.id, attempt, error, backoffMs(type.retry, attempt));
        metrics.finished.inc({ type: task.type, outcome: 'retried' });
        span.setAttribute('task.outcome', 'retried');
        return 'ack';
      }
      await repo.fail(task.id, attempt, error);
      metrics.finished.inc({ type: task.type, outcome: 'failed' });
      span.setAttribute('task.outcome', 'failed');
      logger.warn({ task: task.id, type: task.type, error, attempt }, 'task failed for good');
      return 'dead-letter';
    } finally {
      clearInterval(heartbeat);
      inFlight.delete(task.id);
      metrics.inFlight.dec();
      metrics.duration.observe({ type: task.type }, (performance.now() - started) / 1000);
    }
  }

  return {
    async start(): Promise<void> {
      consumer = await transport.consume(handle, opts.concurrency);
      unlisten = await opts.listenForDue?.(wake);
      tick();
      relay.start();
      opts.retention?.start();
      logger.info({ transport: transport.kind, concurrency: opts.concurrency }, 'worker started');
    },
    /** Stops taking work and waits for the tasks in hand to finish (the caller bounds the wait). */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await unlisten?.();
      await Promise.all([ticking, relay.stop(), opts.retention?.stop()]);
      await consumer?.stop();
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
