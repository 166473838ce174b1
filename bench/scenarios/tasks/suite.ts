// The task parts: delayed tasks end to end (API → tasks table → worker's scheduler → RabbitMQ → worker)
// on the run's "service" plus worker processes (server/dist/cmd/worker.js), all on one queue namespace
// that the run's cleanup deletes. Submitted with an admin's token: echo tasks are for admins only. BENCH_ONLY matches the part names as a substring, so "tasks" selects
// all three.

import pg from 'pg';
import { selectedBy } from '../../lib/config.js';
import { adminHeaders } from '../../lib/identity.js';
import { type MemoryRow, memoryWatch } from '../../lib/memory.js';
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import { warn } from '../../lib/warnings.js';
import { type BacklogResult, relayBacklog, settleDatabase } from './backlog.js';
import { problems, runBatch, type TaskRun } from './batch.js';
import { DELAYED, type DelayedResult, measureDelayed } from './delayed.js';
import { type LatencyResult, measureLatency, RATE } from './latency.js';
import { profileTasks, type TaskProfile } from './profile.js';
import { type Post, SUBMIT_CONCURRENCY, submitBatch, submitter } from './submit.js';
import {
  type BaselineResult,
  measureAmqpEcho,
  measureThroughput,
  type ThroughputResult,
} from './throughput.js';
import { WARMUP_TASKS, workerPool } from './workers.js';

/** Longer than the relay took for a full run's HTTP scenarios on 2 CPUs. */
const BACKLOG_TIMEOUT_MS = 300_000;

export const TASK_PARTS = ['tasks throughput', 'tasks latency', 'tasks delayed'] as const;
export type TaskPart = (typeof TASK_PARTS)[number];

/** The parts BENCH_ONLY (lower-cased) selects; all of them without a filter. */
export const selectTaskParts = (only: string | undefined): TaskPart[] =>
  TASK_PARTS.filter((p) => selectedBy(only, p));

export const taskTargets = {
  throughput: { label: '≥ 1000 tasks/s', bound: 1000 },
  latencyP50: { label: 'p50 ≤ 50 ms', bound: 50 },
  delayedMax: { label: 'max ≤ 1000 ms', bound: 1000 },
} as const;

/** The names the targets are reported under. */
export const targetNames = {
  throughput: 'echo tasks/s end to end, 2 workers',
  latency: (rate: number) => `p50 submit→succeeded at ${rate} tasks/s`,
  delayed: 'delayed task start after due time',
};

export type TaskTarget = { name: string; target: string; value: number; unit: string; met: boolean };

export type TasksResult = {
  config: ReturnType<typeof configOf>;
  throughput: ThroughputResult[];
  baseline: BaselineResult | null;
  latency: LatencyResult | null;
  delayed: DelayedResult | null;
  targets: TaskTarget[];
  /** The HTTP scenarios' outbox events, relayed before the tasks; null when there were none. */
  backlog: BacklogResult | null;
  /** CPU profiles of the API and each worker over one more throughput batch (BENCH_PROFILE > 0). */
  profiles: TaskProfile[];
  /** The workers' and the API's memory over the task parts. */
  memory: MemoryRow[];
  /** Problems that make numbers invalid (rejected submissions, unfinished or failed tasks, …). */
  warnings: string[];
};

function configOf(res: Resources, parts: readonly TaskPart[]) {
  const { tasks, durationSec, queueNamespace } = res.config;
  return {
    parts: [...parts],
    tasks,
    warmupTasks: Math.min(WARMUP_TASKS, tasks),
    submitConcurrency: SUBMIT_CONCURRENCY,
    rate: RATE,
    durationSec,
    delayed: DELAYED,
    namespace: queueNamespace,
    workerConcurrency: 'default (16)' as const,
    pollInterval: 'default (200ms)' as const,
  };
}

function targetsOf(
  throughput: ThroughputResult[],
  latency: LatencyResult | null,
  delayed: DelayedResult | null,
): TaskTarget[] {
  const targets: TaskTarget[] = [];
  const two = throughput.find((r) => r.workers === 2);
  if (two) {
    const { label, bound } = taskTargets.throughput;
    const value = two.tasksPerSec;
    targets.push({
      name: targetNames.throughput,
      target: label,
      value,
      unit: 'tasks/s',
      met: value >= bound,
    });
  }
  if (latency) {
    const { label, bound } = taskTargets.latencyP50;
    const value = latency.stats.e2e.p50;
    targets.push({ name: targetNames.latency(RATE), target: label, value, unit: 'ms', met: value <= bound });
  }
  if (delayed) {
    const { label, bound } = taskTargets.delayedMax;
    const value = delayed.stats.lag.max;
    targets.push({ name: targetNames.delayed, target: label, value, unit: 'ms', met: value <= bound });
  }
  return targets;
}

function taskRun(res: Resources, post: Post, db: pg.Client, apiPid: number, warnings: string[]): TaskRun {
  const run: TaskRun = {
    res,
    db,
    post,
    apiPid,
    runId: Date.now().toString(36),
    workers: workerPool(res, (n) => warmUp(run, n)),
    warn: (ws) => warn(warnings, ws),
  };
  return run;
}

async function warmUp(run: TaskRun, n: number): Promise<void> {
  const batch = `${run.runId}-warmup-${n}`;
  const count = Math.min(WARMUP_TASKS, run.res.config.tasks);
  const { submit, stats } = await runBatch(run, batch, (post) => submitBatch(post, batch, count, 0));
  const ws = problems(`warm-up with ${n} worker(s)`, submit, stats);
  run.warn(ws);
  if (ws.length === 0) console.log(`warm-up: ${count} echo tasks with ${n} worker(s) succeeded`);
}

export async function runTasks(
  res: Resources,
  service: Running,
  parts: readonly TaskPart[],
): Promise<TasksResult> {
  res.useBroker();
  const warnings: string[] = [];
  const db = new pg.Client({ connectionString: res.config.dbUrl });
  await db.connect();
  const run = taskRun(res, submitter(service.url, await adminHeaders()), db, service.pid, warnings);
  let throughput: ThroughputResult[] = [];
  let latency: LatencyResult | null = null;
  let delayed: DelayedResult | null = null;
  let baseline: BaselineResult | null = null;
  let memory: MemoryRow[] = [];
  let profiles: TaskProfile[] = [];
  let backlog: BacklogResult | null = null;
  const serviceWatch = memoryWatch();
  serviceWatch.add(service);
  try {
    // The first worker relays what the HTTP scenarios left before any task is measured.
    backlog = await relayBacklog(db, () => run.workers.ensure(1), BACKLOG_TIMEOUT_MS);
    if (backlog?.left) warn(warnings, [`${backlog.left} outbox events still pending when the tasks began`]);
    await settleDatabase(db);
    if (parts.includes('tasks throughput')) {
      throughput = await measureThroughput(run);
      profiles = await profileTasks(run, service);
    }
    if (parts.includes('tasks latency')) latency = await measureLatency(run);
    if (parts.includes('tasks delayed')) delayed = await measureDelayed(run);
    memory = [...serviceWatch.rows(), ...run.workers.memory()];
    // The baseline gets the machine to itself, as the service runs did (bar the idle API).
    await run.workers.stop();
    if (parts.includes('tasks throughput')) baseline = await measureAmqpEcho(run, throughput);
  } finally {
    serviceWatch.stop();
    await db.end().catch(() => {});
  }
  const targets = targetsOf(throughput, latency, delayed);
  return {
    config: configOf(res, parts),
    throughput,
    baseline,
    latency,
    delayed,
    targets,
    backlog,
    profiles,
    memory,
    warnings,
  };
}
