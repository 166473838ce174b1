// "tasks latency": echo tasks at a fixed rate for BENCH_DURATION s, delay 0, 2 workers: how long a task
// takes from submission to success, and how late the scheduler starts it, under a steady load.
import { fixed } from '../../lib/table.js';
import { type BatchStats, perSec, problems, runBatch, type TaskRun } from './batch.js';
import { type Submitted, submitAtRate } from './submit.js';

export const RATE = 200;

export type LatencyResult = {
  workers: number;
  batch: string;
  rate: number;
  durationSec: number;
  submit: Submitted & { acceptedPerSec: number; maxInFlight: number };
  stats: BatchStats;
};

export async function measureLatency(run: TaskRun): Promise<LatencyResult> {
  const { durationSec } = run.res.config;
  await run.workers.ensure(2);
  const batch = `${run.runId}-latency`;
  process.stdout.write(`tasks latency → 2 workers: ${RATE} echo tasks/s for ${durationSec} s … `);
  const { submit, stats } = await runBatch(run, batch, (post) =>
    submitAtRate(post, batch, RATE, durationSec),
  );
  const latency: LatencyResult = {
    workers: 2,
    batch,
    rate: RATE,
    durationSec,
    submit: { ...submit, acceptedPerSec: perSec(stats.total - 1, stats.submitSec) },
    stats,
  };
  console.log(
    `p50 ${fixed(stats.e2e.p50)} ms submit→succeeded, scheduler lag p50 ${fixed(stats.lag.p50)} ms ` +
      `(accepted ${fixed(latency.submit.acceptedPerSec, 1)}/s)`,
  );
  const ws = problems('tasks latency', submit, stats);
  // Latencies at a lower rate than offered are not latencies at that rate.
  if (latency.submit.acceptedPerSec < RATE * 0.9) {
    ws.push(
      `tasks latency: the API accepted ${fixed(latency.submit.acceptedPerSec, 1)} tasks/s of the ${RATE}/s offered`,
    );
  }
  run.warn(ws);
  return latency;
}
