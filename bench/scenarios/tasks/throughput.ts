// "tasks throughput": echo tasks submitted as fast as the API takes them, with 1 worker then 2,
// throughput = succeeded ÷ (last finished_at − first created_at); then the broker leg alone (amqp-echo,
// publish with confirms → consume with acks, no database) with the same count, as the ceiling the
// workers are compared with.
import { cpuByProcess, cpuSeconds, cpuUsedBetween } from '../../lib/cpu.js';
import { fixed } from '../../lib/table.js';
import { baselineJob } from '../../lib/targets.js';
import { type BatchStats, perSec, problems, runBatch, type TaskRun } from './batch.js';
import { type Submitted, submitBatch } from './submit.js';
import { WARMUP_TASKS } from './workers.js';

export type ThroughputResult = {
  workers: number;
  batch: string;
  submit: Submitted & { acceptedPerSec: number };
  stats: BatchStats;
  /** succeeded ÷ (last finished_at − first created_at) */
  tasksPerSec: number;
  /** ÷ amqp-echo msgs/s */
  vsBaseline: number;
  /** CPU milliseconds per succeeded task over the batch, by process: api, workers, postgres, rabbitmq. */
  cpuMsPerTask: Record<string, number>;
};

export type BaselineResult = {
  name: 'amqp-echo';
  messages: number;
  seconds: number;
  msgsPerSec: number;
  prefetch: number;
  confirmWindow: number;
};

const SERVERS = ['postgres', 'beam.smp'] as const;

type CpuReading = {
  servers: ReturnType<typeof cpuByProcess>;
  nodes: Map<number, number>;
  /** The bench's own process: it submits the tasks and polls for their end. */
  load: NodeJS.CpuUsage;
};

/** The API's and the workers' CPU by pid (their thread names vary), and the servers' by command. */
function readCpu(run: TaskRun): CpuReading {
  const nodes = new Map<number, number>();
  for (const pid of [run.apiPid, ...run.workers.pids()]) nodes.set(pid, cpuSeconds(pid));
  return { servers: cpuByProcess(SERVERS), nodes, load: process.cpuUsage() };
}

/** Where a batch's CPU went, by role, in milliseconds per succeeded task. */
function cpuByRole(run: TaskRun, before: CpuReading, tasks: number): Record<string, number> {
  const after = readCpu(run);
  const servers = cpuUsedBetween(before.servers, after.servers);
  const nodeUsed = (pid: number) => (after.nodes.get(pid) ?? 0) - (before.nodes.get(pid) ?? 0);
  const seconds: Record<string, number> = {
    api: nodeUsed(run.apiPid),
    workers: run.workers.pids().reduce((sum, pid) => sum + nodeUsed(pid), 0),
    postgres: servers.postgres ?? 0,
    rabbitmq: servers['beam.smp'] ?? 0,
    load: (after.load.user + after.load.system - before.load.user - before.load.system) / 1e6,
  };
  return Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, (v * 1000) / Math.max(1, tasks)]));
}

export async function measureThroughput(run: TaskRun): Promise<ThroughputResult[]> {
  const count = run.res.config.tasks;
  const results: ThroughputResult[] = [];
  for (const n of [1, 2]) {
    await run.workers.ensure(n);
    const batch = `${run.runId}-throughput-${n}`;
    process.stdout.write(`tasks throughput → ${n} worker(s): ${count} echo tasks … `);
    const cpuBefore = readCpu(run);
    const { submit, stats } = await runBatch(run, batch, (post) => submitBatch(post, batch, count, 0));
    const cpuMsPerTask = cpuByRole(run, cpuBefore, stats.succeeded);
    const r: ThroughputResult = {
      workers: n,
      batch,
      submit: { ...submit, acceptedPerSec: perSec(stats.total - 1, stats.submitSec) },
      stats,
      tasksPerSec: perSec(stats.succeeded, stats.spanSec),
      vsBaseline: Number.NaN,
      cpuMsPerTask,
    };
    const cpu = Object.entries(cpuMsPerTask)
      .map(([role, ms]) => `${role} ${fixed(ms, 2)}`)
      .join(', ');
    console.log(
      `${fixed(r.tasksPerSec, 0)} tasks/s end to end (accepted ${fixed(r.submit.acceptedPerSec, 0)}/s); ` +
        `CPU ms per task: ${cpu}`,
    );
    run.warn(problems(`tasks throughput, ${n} worker(s)`, submit, stats));
    results.push(r);
  }
  return results;
}

/** Sets each throughput result's vsBaseline; null when the baseline failed (a warning says why). */
export async function measureAmqpEcho(
  run: TaskRun,
  throughput: ThroughputResult[],
): Promise<BaselineResult | null> {
  const { tasks: count, queueUri, queueNamespace } = run.res.config;
  process.stdout.write(`amqp-echo baseline: ${count} messages … `);
  const env = {
    NODE_ENV: 'production',
    QUEUE_URI: queueUri,
    QUEUE: `${queueNamespace}.amqp-echo`,
    COUNT: String(count),
    WARMUP: String(Math.min(WARMUP_TASKS, count)),
    PREFETCH: '16',
    CONFIRM_WINDOW: '100',
  };
  const job = baselineJob(run.res, 'amqp-echo', env, 60_000 + count * 20);
  try {
    const out = (await job.output).trim().split('\n').at(-1) ?? '';
    const baseline: BaselineResult = {
      name: 'amqp-echo',
      ...(JSON.parse(out) as Omit<BaselineResult, 'name'>),
    };
    console.log(`${fixed(baseline.msgsPerSec, 0)} msgs/s`);
    for (const r of throughput) r.vsBaseline = r.tasksPerSec / baseline.msgsPerSec;
    return baseline;
  } catch (err) {
    console.log('failed');
    run.warn([`amqp-echo baseline: ${(err as Error).message}`]);
    return null;
  }
}
