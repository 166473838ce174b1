// The processes the bench measures and compares with. Each gets a free port of its own, is tracked for the
// run's cleanup as soon as it exists, and is announced with its log file, where an odd number is explained.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceAuthEnv } from './identity.js';
import {
  baseEnv,
  freePort,
  type Job,
  type Running,
  spawnAndWaitReady,
  spawnJob,
  waitForLog,
} from './proc.js';
import { deleteByPrefix } from './redis.js';
import type { Resources } from './resources.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type ServiceName = 'service' | 'service-redis';
export type BaselineName = 'fastify-pg' | 'fastify-redis';
type JobName = 'amqp-echo' | 'sharp-raw';

const baselineArgs = (name: BaselineName | JobName) => ['--import', 'tsx', `bench/baselines/${name}.ts`];

/** How a target is started when a part needs more than the run's defaults. */
export type StartOptions = {
  /** Added to (and over) the target's environment, e.g. to turn one feature off. */
  env?: Record<string, string>;
  /** Overrides BENCH_SETTINGS for this target. */
  settings?: Resources['config']['settings'];
  /** The process's name (its log file, its media directory) when several of one kind run at once. */
  label?: string;
};

/** `node <args>` from the repository root on a free port (in `portVar`), once /health/ready answers 200. */
async function serve(
  res: Resources,
  name: string,
  args: string[],
  portVar: string,
  env: Record<string, string>,
): Promise<Running> {
  const port = await freePort();
  const target = await spawnAndWaitReady({
    name,
    args,
    cwd: ROOT,
    env: { ...baseEnv(), NODE_ENV: 'production', HOST: '127.0.0.1', ...env, [portVar]: String(port) },
    port,
    readyPath: '/health/ready',
    // Idle unless a profile is taken (lib/cpu.ts): every target has one, so that both sides carry it.
    ...(res.config.profileSec > 0 ? { inspectPort: await freePort() } : {}),
  });
  res.track(target);
  return target;
}

const announce = (target: Running, label = target.name) =>
  console.log(`${label} ready at ${target.url} (log: ${target.logFile})`);

const serviceEnv = async (res: Resources, name: string) => {
  // As in production, every instance takes the events exchange for its event streams.
  res.useBroker();
  return {
    QUEUE_URI: res.config.queueUri,
    QUEUE_NAMESPACE: res.config.queueNamespace,
    DB_URI: res.config.dbUrl,
    LOG_LEVEL: 'info',
    DB_POOL_MAX: '10',
    // Uploaded images go to a directory of the bench's own, removed at cleanup.
    DATA_DIR: join(res.mediaRoot, name),
    // The bench's own OpenID Provider, and no rate limits (see lib/identity.ts).
    ...(await serviceAuthEnv()),
  };
};

const TRACING_BOOTSTRAP = ['--import', './server/dist/telemetry/tracing.js'];

/**
 * What a production deployment turns on beyond the service's defaults: tracing, 10 % of traces sampled
 * and exported over OTLP; rate limiting, with budgets the bench's load stays under (the bench's 32
 * connections from one address would spend a production budget in a second, and a 429 costs less
 * than an answer: the machinery is what is measured).
 */
async function productionSettings(
  res: Resources,
  settings = res.config.settings,
): Promise<{ args: string[]; env: Record<string, string> }> {
  if (settings === 'capacity') return { args: [], env: {} };
  const budget = '9999999/1m';
  return {
    args: TRACING_BOOTSTRAP,
    env: {
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: (await res.otlpSink()).endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: 'profile-server-bench',
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_READ: budget,
      RATE_LIMIT_WRITE: budget,
      RATE_LIMIT_UPLOAD: budget,
      RATE_LIMIT_TASK: budget,
    },
  };
}

async function startService(
  res: Resources,
  name: ServiceName,
  extraEnv: Record<string, string>,
  opts: StartOptions,
): Promise<Running> {
  const label = opts.label ?? name;
  const production = await productionSettings(res, opts.settings);
  const args = [...production.args, 'server/dist/cmd/server.js'];
  const env = { ...(await serviceEnv(res, label)), ...production.env, ...extraEnv, ...opts.env };
  const service = await serve(res, label, args, 'SERVER_PORT', env);
  announce(service);
  return service;
}

/**
 * The service as production starts it, the tracing bootstrap loaded first; `otel` (the standard
 * OTEL_* variables) turns tracing on, or leaves it off when it names no exporter.
 */
export async function startTracedService(
  res: Resources,
  name: string,
  otel: Record<string, string>,
): Promise<Running> {
  const args = [...TRACING_BOOTSTRAP, 'server/dist/cmd/server.js'];
  const service = await serve(res, name, args, 'SERVER_PORT', { ...(await serviceEnv(res, name)), ...otel });
  announce(service);
  return service;
}

export const services: Record<ServiceName, (res: Resources, opts?: StartOptions) => Promise<Running>> = {
  // No REDIS_ADDRESS: the in-process cache (default capacity 10).
  service: (res, opts = {}) => startService(res, 'service', {}, opts),
  'service-redis': async (res, opts = {}) => {
    const { cacheKeyPrefix, redisAddress } = res.config;
    // Entries of an earlier run would turn the cached scenario's first misses into hits.
    const removed = await deleteByPrefix(await res.redis(), cacheKeyPrefix);
    if (removed > 0) console.log(`deleted ${removed} stale keys under ${cacheKeyPrefix}`);
    return startService(
      res,
      'service-redis',
      {
        REDIS_ADDRESS: redisAddress,
        CACHE_KEY_PREFIX: cacheKeyPrefix,
        CACHE_MAX_ENTRIES: '1000',
      },
      opts,
    );
  },
};

function baselineEnv(res: Resources, name: BaselineName): Record<string, string> {
  if (name === 'fastify-pg') return { DB_URI: res.config.dbUrl };
  return { REDIS_ADDRESS: res.config.redisAddress, CACHE_KEY_PREFIX: res.config.cacheKeyPrefix };
}

export async function startBaseline(res: Resources, name: BaselineName): Promise<Running> {
  const baseline = await serve(res, name, baselineArgs(name), 'PORT', baselineEnv(res, name));
  announce(baseline, `baseline ${name}`);
  return baseline;
}

export async function startWorker(res: Resources, n: number): Promise<Running> {
  const { dbUrl, queueUri, queueNamespace } = res.config;
  const worker = await serve(res, `worker-${n}`, ['server/dist/cmd/worker.js'], 'WORKER_PORT', {
    DB_URI: dbUrl,
    QUEUE_URI: queueUri,
    QUEUE_NAMESPACE: queueNamespace,
    LOG_LEVEL: 'info',
    DB_MIGRATE_ON_START: 'false',
  });
  // Ready means connected; consuming starts a moment later.
  await waitForLog(worker, '"msg":"worker started"');
  announce(worker);
  return worker;
}

/** A baseline that runs to completion and prints its result as one JSON line. */
export function baselineJob(
  res: Resources,
  name: JobName,
  env: Record<string, string>,
  timeoutMs: number,
): Job {
  const job = spawnJob({
    name,
    args: baselineArgs(name),
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    timeoutMs,
  });
  res.track(job);
  return job;
}
