// "tasks delayed": echo tasks submitted with a delay, 2 workers: how long after its due time the scheduler
// starts each one (started_at − run_at).
import { fixed } from '../../lib/table.js';
import { type BatchStats, problems, runBatch, type TaskRun } from './batch.js';
import { type Submitted, submitBatch } from './submit.js';

export const DELAYED = { count: 50, delaySec: 2 };

export type DelayedResult = {
  workers: number;
  batch: string;
  delaySec: number;
  submit: Submitted;
  stats: BatchStats;
};

export async function measureDelayed(run: TaskRun): Promise<DelayedResult> {
  await run.workers.ensure(2);
  const batch = `${run.runId}-delayed`;
  process.stdout.write(
    `tasks delayed → 2 workers: ${DELAYED.count} echo tasks, delay ${DELAYED.delaySec} s … `,
  );
  const { submit, stats } = await runBatch(run, batch, (post) =>
    submitBatch(post, batch, DELAYED.count, DELAYED.delaySec),
  );
  console.log(`started ≤ ${fixed(stats.lag.max)} ms after due (p99 ${fixed(stats.lag.p99)} ms)`);
  run.warn(problems('tasks delayed', submit, stats));
  return { workers: 2, batch, delaySec: DELAYED.delaySec, submit, stats };
}
