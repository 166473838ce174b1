// Task benchmark: delayed tasks end to end (API → tasks table → worker's scheduler → RabbitMQ → worker),
// against the broker leg alone (bench/baselines/amqp-echo.ts). Called from run.ts, on the service it started.
//
// Parts (BENCH_ONLY matches their names as a substring; "tasks" selects all three):
//   tasks throughput  BENCH_TASKS echo tasks submitted as fast as the API accepts them (32 in flight), with
//                     1 worker, then 2; throughput = succeeded ÷ (last finished_at − first created_at).
//                     Then the amqp-echo baseline with the same count (workers stopped by then).
//   tasks latency     echo tasks at a fixed 200/s for BENCH_DURATION s, delay 0, 2 workers:
//                     finished_at − created_at and scheduler lag started_at − run_at.
//   tasks delayed     50 echo tasks with delay 2 s, 2 workers: scheduler lag started_at − run_at.
// Every figure comes from the tasks table (batches tagged by payload.batch), after polling it until the
// batch is finished. Workers are child processes (server/dist/cmd/worker.js) on one queue namespace that
// the caller deletes at cleanup; each new worker first runs an unmeasured warm-up batch.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  baseEnv,
  freePort,
  type Running,
  type Stoppable,
  spawnAndWaitReady,
  spawnJob,
  waitForLog,
} from './lib/proc.js';
import { fixed, formatTable } from './lib/table.js';

export const TASK_PARTS = ['tasks throughput', 'tasks latency', 'tasks delayed'] as const;
export type TaskPart = (typeof TASK_PARTS)[number];

/** The parts BENCH_ONLY (lower-cased) selects; all of them without a filter. */
export const selectTaskParts = (only: string | undefined): TaskPart[] =>
  TASK_PARTS.filter((p) => !only || p.includes(only));

export type TasksOptions = {
  root: string;
  dbUrl: string;
  queueUri: string;
  /** The workers' QUEUE_NAMESPACE; everything under it is the caller's to delete. */
  namespace: string;
  /** The API under test (the "service" instance). */
  service: Running;
  parts: readonly TaskPart[];
  /** BENCH_TASKS */
  count: number;
  /** BENCH_DURATION, for the fixed-rate run. */
  durationSec: number;
  /** Every child started here is handed over, so that the caller's cleanup stops it. */
  track: (child: Stoppable) => void;
};

const SUBMIT_CONCURRENCY = 32;
const RATE = 200;
const DELAYED = { count: 50, delaySec: 2 };
const WARMUP_TASKS = 200;
/** Waiting for a batch gives up when no task of it finished for this long. */
const STALL_MS = 30_000;

export const taskTargets = {
  throughput: { label: '≥ 1000 tasks/s', bound: 1000 },
  latencyP50: { label: 'p50 ≤ 50 ms', bound: 50 },
  delayedMax: { label: 'max ≤ 1000 ms', bound: 1000 },
} as const;

/** Milliseconds; NaN (null in JSON) when there was nothing to measure. */
export type Dist = { p50: number; p95: number; p99: number; max: number };

/** What the tasks table says about one batch. */
type BatchStats = {
  total: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  /** last finished_at − first created_at */
  spanSec: number;
  /** last created_at − first created_at */
  submitSec: number;
  /** finished_at − created_at */
  e2e: Dist;
  /** started_at − run_at */
  lag: Dist;
};

type Submitted = {
  offered: number;
  accepted: number;
  rejected: number;
  firstError?: string;
  seconds: number;
};

export type ThroughputResult = {
  workers: number;
  batch: string;
  submit: Submitted & { acceptedPerSec: number };
  stats: BatchStats;
  /** succeeded ÷ (last finished_at − first created_at) */
  tasksPerSec: number;
  /** ÷ amqp-echo msgs/s */
  vsBaseline: number;
};

export type BaselineResult = {
  name: 'amqp-echo';
  messages: number;
  seconds: number;
  msgsPerSec: number;
  prefetch: number;
  confirmWindow: number;
};

export type LatencyResult = {
  workers: number;
  batch: string;
  rate: number;
  durationSec: number;
  submit: Submitted & { acceptedPerSec: number; maxInFlight: number };
  stats: BatchStats;
};

export type DelayedResult = {
  workers: number;
  batch: string;
  delaySec: number;
  submit: Submitted;
  stats: BatchStats;
};

export type TasksResult = {
  config: {
    parts: TaskPart[];
    tasks: number;
    warmupTasks: number;
    submitConcurrency: number;
    rate: number;
    durationSec: number;
    delayed: typeof DELAYED;
    namespace: string;
    workerConcurrency: 'default (16)';
    pollInterval: 'default (200ms)';
  };
  throughput: ThroughputResult[];
  baseline: BaselineResult | null;
  latency: LatencyResult | null;
  delayed: DelayedResult | null;
  targets: Array<{ name: string; target: string; value: number; unit: string; met: boolean }>;
  /** Problems that make numbers invalid (rejected submissions, unfinished or failed tasks, …). */
  warnings: string[];
};

// ---------------------------------------------------------------------------------------------------

type TaskBody = { type: 'echo'; payload: { batch: string; i: number }; delay: number };

/** POSTs tasks and counts what the API accepted (202). */
function submitter(serviceUrl: string) {
  const url = `${serviceUrl}/api/v1/tasks/delayed`;
  return async (body: TaskBody, into: Submitted): Promise<void> => {
    into.offered += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 202) into.accepted += 1;
      else {
        into.rejected += 1;
        into.firstError ??= `HTTP ${res.status}: ${text.slice(0, 200)}`;
      }
    } catch (err) {
      into.rejected += 1;
      into.firstError ??= (err as Error).message;
    }
  };
}

const emptySubmitted = (): Submitted => ({ offered: 0, accepted: 0, rejected: 0, seconds: 0 });

/** `count` tasks, at most `concurrency` requests in flight. */
async function submitBatch(
  post: ReturnType<typeof submitter>,
  batch: string,
  count: number,
  delay: number,
  concurrency = SUBMIT_CONCURRENCY,
): Promise<Submitted> {
  const out = emptySubmitted();
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await post({ type: 'echo', payload: { batch, i }, delay }, out);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

/** Open loop: the i-th task is sent at i ÷ rate seconds whether or not earlier ones were answered. */
async function submitAtRate(
  post: ReturnType<typeof submitter>,
  batch: string,
  rate: number,
  durationSec: number,
): Promise<Submitted & { maxInFlight: number }> {
  const out = { ...emptySubmitted(), maxInFlight: 0 };
  const total = Math.round(rate * durationSec);
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const p: Promise<void> = post({ type: 'echo', payload: { batch, i }, delay: 0 }, out).finally(() =>
        pending.delete(p),
      );
      pending.add(p);
    }
    out.maxInFlight = Math.max(out.maxInFlight, pending.size);
    if (i < total) await sleep(Math.max(0, started + (i * 1000) / rate - performance.now()));
  }
  await Promise.all(pending);
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

const BATCH = `payload->>'batch' = $1`;

/** Polls the tasks table until `expected` tasks of the batch finished, or nothing moved for STALL_MS. */
async function waitFinished(db: pg.Client, batch: string, expected: number): Promise<void> {
  let last = -1;
  let lastMove = Date.now();
  for (;;) {
    const { rows } = await db.query<{ done: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled'))::int AS done
         FROM tasks WHERE ${BATCH}`,
      [batch],
    );
    const done = rows[0]?.done ?? 0;
    if (done >= expected) return;
    if (done !== last) {
      last = done;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > STALL_MS) {
      return; // reported as unfinished by batchStats
    }
    await sleep(200);
  }
}

const toDist = (ps: number[] | null, max: number | null): Dist => ({
  p50: ps?.[0] ?? Number.NaN,
  p95: ps?.[1] ?? Number.NaN,
  p99: ps?.[2] ?? Number.NaN,
  max: max ?? Number.NaN,
});

/** Nearest-rank percentiles (percentile_disc), like the HTTP scenarios' latencies. */
async function batchStats(db: pg.Client, batch: string): Promise<BatchStats> {
  const ms = (a: string, b: string) => `extract(epoch FROM ${a} - ${b})::float8 * 1000`;
  const { rows } = await db.query<{
    total: number;
    succeeded: number;
    failed: number;
    unfinished: number;
    span_sec: number | null;
    submit_sec: number | null;
    e2e: number[] | null;
    e2e_max: number | null;
    lag: number[] | null;
    lag_max: number | null;
  }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status NOT IN ('succeeded', 'failed', 'cancelled'))::int AS unfinished,
            extract(epoch FROM max(finished_at) - min(created_at))::float8 AS span_sec,
            extract(epoch FROM max(created_at) - min(created_at))::float8 AS submit_sec,
            percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ${ms('finished_at', 'created_at')}) AS e2e,
            max(${ms('finished_at', 'created_at')}) AS e2e_max,
            percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ${ms('started_at', 'run_at')}) AS lag,
            max(${ms('started_at', 'run_at')}) AS lag_max
       FROM tasks WHERE ${BATCH}`,
    [batch],
  );
  const r = rows[0];
  if (!r) throw new Error(`no statistics for batch ${batch}`);
  return {
    total: r.total,
    succeeded: r.succeeded,
    failed: r.failed,
    unfinished: r.unfinished,
    spanSec: r.span_sec ?? Number.NaN,
    submitSec: r.submit_sec ?? Number.NaN,
    e2e: toDist(r.e2e, r.e2e_max),
    lag: toDist(r.lag, r.lag_max),
  };
}

/** Warnings for a batch: rejected submissions, and tasks that did not all succeed. */
function problems(label: string, submit: Submitted, stats: BatchStats): string[] {
  const out: string[] = [];
  if (submit.rejected > 0)
    out.push(`${label}: ${submit.rejected} of ${submit.offered} submissions rejected (${submit.firstError})`);
  if (stats.succeeded !== submit.offered) {
    out.push(
      `${label}: ${stats.succeeded} of ${submit.offered} tasks succeeded ` +
        `(${stats.failed} failed, ${stats.unfinished} unfinished after waiting, ${stats.total} stored)`,
    );
  }
  return out;
}

/** `n` per second; for submissions n = tasks − 1, the intervals between the first and the last. */
const perSec = (n: number, sec: number) => (sec > 0 ? n / sec : Number.NaN);

// ---------------------------------------------------------------------------------------------------

export async function runTasks(opts: TasksOptions): Promise<TasksResult> {
  const { parts } = opts;
  const runId = Date.now().toString(36);
  const post = submitter(opts.service.url);
  const warnings: string[] = [];
  const warn = (ws: string[]) => {
    for (const w of ws) console.error(`WARNING: ${w}`);
    warnings.push(...ws);
  };
  const db = new pg.Client({ connectionString: opts.dbUrl });
  await db.connect();

  const workers: Running[] = [];
  const startWorker = async (n: number) => {
    const port = await freePort();
    const worker = await spawnAndWaitReady({
      name: `worker-${n}`,
      args: ['server/dist/cmd/worker.js'],
      cwd: opts.root,
      env: {
        ...baseEnv(),
        DB_URI: opts.dbUrl,
        QUEUE_URI: opts.queueUri,
        QUEUE_NAMESPACE: opts.namespace,
        WORKER_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        DB_MIGRATE_ON_START: 'false',
      },
      port,
      readyPath: '/health/ready',
    });
    opts.track(worker);
    // Ready means connected; consuming starts a moment later.
    await waitForLog(worker, '"msg":"worker started"');
    console.log(`${worker.name} ready at ${worker.url} (log: ${worker.logFile})`);
    return worker;
  };
  /** Starts workers up to `n`; after a start, an unmeasured batch warms them (and the API's POST path). */
  const ensureWorkers = async (n: number) => {
    if (workers.length >= n) return;
    while (workers.length < n) workers.push(await startWorker(workers.length + 1));
    const batch = `${runId}-warmup-${n}`;
    const count = Math.min(WARMUP_TASKS, opts.count);
    const submit = await submitBatch(post, batch, count, 0);
    await waitFinished(db, batch, submit.accepted);
    const stats = await batchStats(db, batch);
    const ws = problems(`warm-up with ${n} worker(s)`, submit, stats);
    warn(ws);
    if (ws.length === 0) console.log(`warm-up: ${count} echo tasks with ${n} worker(s) succeeded`);
  };

  const throughput: ThroughputResult[] = [];
  let latency: LatencyResult | null = null;
  let delayed: DelayedResult | null = null;
  let baseline: BaselineResult | null = null;
  try {
    if (parts.includes('tasks throughput')) {
      for (const n of [1, 2]) {
        await ensureWorkers(n);
        const batch = `${runId}-throughput-${n}`;
        process.stdout.write(`tasks throughput → ${n} worker(s): ${opts.count} echo tasks … `);
        const submit = await submitBatch(post, batch, opts.count, 0);
        await waitFinished(db, batch, submit.accepted);
        const stats = await batchStats(db, batch);
        const r: ThroughputResult = {
          workers: n,
          batch,
          submit: { ...submit, acceptedPerSec: perSec(stats.total - 1, stats.submitSec) },
          stats,
          tasksPerSec: perSec(stats.succeeded, stats.spanSec),
          vsBaseline: Number.NaN,
        };
        console.log(
          `${fixed(r.tasksPerSec, 0)} tasks/s end to end (accepted ${fixed(r.submit.acceptedPerSec, 0)}/s)`,
        );
        warn(problems(`tasks throughput, ${n} worker(s)`, submit, stats));
        throughput.push(r);
      }
    }

    if (parts.includes('tasks latency')) {
      await ensureWorkers(2);
      const batch = `${runId}-latency`;
      process.stdout.write(`tasks latency → 2 workers: ${RATE} echo tasks/s for ${opts.durationSec} s … `);
      const submit = await submitAtRate(post, batch, RATE, opts.durationSec);
      await waitFinished(db, batch, submit.accepted);
      const stats = await batchStats(db, batch);
      latency = {
        workers: 2,
        batch,
        rate: RATE,
        durationSec: opts.durationSec,
        submit: { ...submit, acceptedPerSec: perSec(stats.total - 1, stats.submitSec) },
        stats,
      };
      console.log(
        `p50 ${fixed(stats.e2e.p50)} ms submit→succeeded, scheduler lag p50 ${fixed(stats.lag.p50)} ms ` +
          `(accepted ${fixed(latency.submit.acceptedPerSec, 1)}/s)`,
      );
      const ws = problems('tasks latency', submit, stats);
      if (latency.submit.acceptedPerSec < RATE * 0.9) {
        ws.push(
          `tasks latency: the API accepted ${fixed(latency.submit.acceptedPerSec, 1)} tasks/s of the ${RATE}/s offered`,
        );
      }
      warn(ws);
    }

    if (parts.includes('tasks delayed')) {
      await ensureWorkers(2);
      const batch = `${runId}-delayed`;
      process.stdout.write(
        `tasks delayed → 2 workers: ${DELAYED.count} echo tasks, delay ${DELAYED.delaySec} s … `,
      );
      const submit = await submitBatch(post, batch, DELAYED.count, DELAYED.delaySec);
      await waitFinished(db, batch, submit.accepted);
      const stats = await batchStats(db, batch);
      delayed = { workers: 2, batch, delaySec: DELAYED.delaySec, submit, stats };
      console.log(`started ≤ ${fixed(stats.lag.max)} ms after due (p99 ${fixed(stats.lag.p99)} ms)`);
      warn(problems('tasks delayed', submit, stats));
    }

    // The baseline gets the machine to itself, as the service runs did (bar the idle API).
    await Promise.all(workers.map((w) => w.stop()));
    if (parts.includes('tasks throughput')) {
      process.stdout.write(`amqp-echo baseline: ${opts.count} messages … `);
      const job = spawnJob({
        name: 'amqp-echo',
        args: ['--import', 'tsx', 'bench/baselines/amqp-echo.ts'],
        cwd: opts.root,
        env: {
          ...baseEnv(),
          NODE_ENV: 'production',
          QUEUE_URI: opts.queueUri,
          QUEUE: `${opts.namespace}.amqp-echo`,
          COUNT: String(opts.count),
          WARMUP: String(Math.min(WARMUP_TASKS, opts.count)),
          PREFETCH: '16',
          CONFIRM_WINDOW: '100',
        },
        timeoutMs: 60_000 + opts.count * 20,
      });
      opts.track(job);
      try {
        const out = (await job.output).trim().split('\n').at(-1) ?? '';
        baseline = { name: 'amqp-echo', ...(JSON.parse(out) as Omit<BaselineResult, 'name'>) };
        console.log(`${fixed(baseline.msgsPerSec, 0)} msgs/s`);
        for (const r of throughput) r.vsBaseline = r.tasksPerSec / baseline.msgsPerSec;
      } catch (err) {
        console.log('failed');
        warn([`amqp-echo baseline: ${(err as Error).message}`]);
      }
    }
  } finally {
    await db.end().catch(() => {});
  }

  const two = throughput.find((r) => r.workers === 2);
  const targets: TasksResult['targets'] = [];
  if (two) {
    const t = taskTargets.throughput;
    targets.push({
      name: 'echo tasks/s end to end, 2 workers',
      target: t.label,
      value: two.tasksPerSec,
      unit: 'tasks/s',
      met: two.tasksPerSec >= t.bound,
    });
  }
  if (latency) {
    const t = taskTargets.latencyP50;
    targets.push({
      name: `p50 submit→succeeded at ${RATE} tasks/s`,
      target: t.label,
      value: latency.stats.e2e.p50,
      unit: 'ms',
      met: latency.stats.e2e.p50 <= t.bound,
    });
  }
  if (delayed) {
    const t = taskTargets.delayedMax;
    targets.push({
      name: 'delayed task start after due time',
      target: t.label,
      value: delayed.stats.lag.max,
      unit: 'ms',
      met: delayed.stats.lag.max <= t.bound,
    });
  }

  return {
    config: {
      parts: [...parts],
      tasks: opts.count,
      warmupTasks: Math.min(WARMUP_TASKS, opts.count),
      submitConcurrency: SUBMIT_CONCURRENCY,
      rate: RATE,
      durationSec: opts.durationSec,
      delayed: DELAYED,
      namespace: opts.namespace,
      workerConcurrency: 'default (16)',
      pollInterval: 'default (200ms)',
    },
    throughput,
    baseline,
    latency,
    delayed,
    targets,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------------

const status = (submit: Submitted, stats: BatchStats) =>
  submit.rejected === 0 && stats.succeeded === submit.offered
    ? 'ok'
    : `ERRORS: ${submit.rejected} rejected, ${stats.failed} failed, ${stats.unfinished} unfinished`;

const verdict = (r: TasksResult, name: string) => {
  const t = r.targets.find((x) => x.name === name);
  return t ? `${t.target}: ${t.met ? 'met' : 'NOT MET'}` : '';
};

export function reportTasks(r: TasksResult): string {
  const rows: string[][] = [];
  const dist = (d: Dist) => [fixed(d.p50), fixed(d.p95), fixed(d.p99), fixed(d.max)];
  const blank = ['', '', '', ''];
  for (const t of r.throughput) {
    rows.push([
      `throughput (${t.stats.total} echo)`,
      String(t.workers),
      fixed(t.tasksPerSec, 0),
      ...blank,
      r.baseline ? `${fixed(t.vsBaseline)}×` : '',
      t.workers === 2 ? verdict(r, 'echo tasks/s end to end, 2 workers') : '',
      status(t.submit, t.stats),
    ]);
  }
  if (r.baseline) {
    rows.push([
      `amqp-echo baseline (${r.baseline.messages} msgs, ${r.baseline.confirmWindow} confirms in flight)`,
      '',
      fixed(r.baseline.msgsPerSec, 0),
      ...blank,
      '',
      '',
      'ok',
    ]);
  }
  if (r.latency) {
    const l = r.latency;
    rows.push([
      `@${l.rate}/s submit→succeeded`,
      String(l.workers),
      '',
      ...dist(l.stats.e2e),
      '',
      verdict(r, `p50 submit→succeeded at ${l.rate} tasks/s`),
      `${status(l.submit, l.stats)} (${l.stats.total} tasks, accepted ${fixed(l.submit.acceptedPerSec, 1)}/s)`,
    ]);
    rows.push([`@${l.rate}/s scheduler lag`, String(l.workers), '', ...dist(l.stats.lag), '', '', '']);
  }
  if (r.delayed) {
    const d = r.delayed;
    rows.push([
      `delayed ${d.delaySec} s: scheduler lag`,
      String(d.workers),
      '',
      ...dist(d.stats.lag),
      '',
      verdict(r, 'delayed task start after due time'),
      `${status(d.submit, d.stats)} (${d.stats.total} tasks)`,
    ]);
  }
  return formatTable(
    [
      { header: 'tasks scenario' },
      { header: 'workers', align: 'right' },
      { header: 'tasks/s', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p95 ms', align: 'right' },
      { header: 'p99 ms', align: 'right' },
      { header: 'max ms', align: 'right' },
      { header: 'vs amqp-echo', align: 'right' },
      { header: 'target' },
      { header: 'check' },
    ],
    rows,
  );
}

export const tasksLegend =
  'tasks/s: succeeded ÷ (last finished_at − first created_at), submission included (32 in flight); ' +
  'vs amqp-echo: ÷ the baseline msgs/s (publish with confirms → consume with acks, no database); ' +
  'submit→succeeded: finished_at − created_at; scheduler lag: started_at − run_at';
