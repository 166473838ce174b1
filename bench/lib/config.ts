// The bench's options, read once at start from the environment:
//   BENCH_DURATION       seconds per measured run, and of the 200 tasks/s latency run (default 10)
//   BENCH_WARMUP         seconds of unrecorded load before each measured run (default 2)
//   BENCH_CONNECTIONS    connections of the HTTP scenarios (default 32)
//   BENCH_ROUNDS         interleaved rounds per side, best kept (default 2)
//   BENCH_ONLY           the parts to run: a lower-cased substring of their names, or several separated
//                        by commas (see run.ts)
//   BENCH_SEED_ROWS      seeded profiles (default 10000)
//   BENCH_SEARCH_ROWS    people added for the search part, which runs last (default 1000000)
//   BENCH_ADMIN_URL      where the bench database is created (default postgres://root@127.0.0.1:5432/postgres)
//   BENCH_REDIS_ADDRESS  host:port (default 127.0.0.1:6379; only needed by the cached scenario)
//   BENCH_TASKS          tasks per throughput run (default 2000)
//   BENCH_QUEUE_URI      the broker of the task parts (default amqp://guest:guest@127.0.0.1:5672)
//   BENCH_SETTINGS       production (default): the HTTP scenarios' services with tracing at 10 % sampling
//                        (exported to the bench's OTLP receiver) and rate limiting on, with budgets the load
//                        stays under; capacity: neither, as runs before them measured
//   BENCH_PROFILE        seconds of CPU profile per HTTP scenario and side, after its rounds (default 5; 0: none)
import { databaseUrl } from './db.js';

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name}: expected an integer >= ${min}, got "${raw}"`);
  return value;
}

export type Config = ReturnType<typeof readConfig>;

/** Whether a part named `name` runs under BENCH_ONLY `only` (every part when unset). */
export const selectedBy = (only: string | undefined, name: string): boolean =>
  !only || only.split(',').some((term) => term.trim() !== '' && name.toLowerCase().includes(term.trim()));

function settingsOf(raw: string | undefined): 'production' | 'capacity' {
  const value = raw?.trim() || 'production';
  if (value !== 'production' && value !== 'capacity')
    throw new Error(`BENCH_SETTINGS: expected production or capacity, got "${raw}"`);
  return value;
}

export function readConfig() {
  const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const dbName = 'profiles_bench';
  return {
    adminUrl,
    dbName,
    dbUrl: databaseUrl(adminUrl, dbName),
    durationSec: envInt('BENCH_DURATION', 10, 1),
    warmupSec: envInt('BENCH_WARMUP', 2, 0),
    connections: envInt('BENCH_CONNECTIONS', 32, 1),
    seedRows: envInt('BENCH_SEED_ROWS', 10_000, 100),
    searchRows: envInt('BENCH_SEARCH_ROWS', 1_000_000, 1000),
    rounds: envInt('BENCH_ROUNDS', 2, 1),
    only: process.env.BENCH_ONLY?.toLowerCase(),
    redisAddress: process.env.BENCH_REDIS_ADDRESS?.trim() || '127.0.0.1:6379',
    /** Namespace of service-redis's cache keys, read by fastify-redis too; emptied before and after. */
    cacheKeyPrefix: 'bench:{pc}:',
    hotSetSize: 200,
    /** Ordinary users of the owner PATCH scenario, each the owner of one seeded profile. */
    owners: 200,
    tasks: envInt('BENCH_TASKS', 2000, 1),
    profileSec: envInt('BENCH_PROFILE', 5, 0),
    settings: settingsOf(process.env.BENCH_SETTINGS),
    queueUri: process.env.BENCH_QUEUE_URI?.trim() || 'amqp://guest:guest@127.0.0.1:5672',
    /** The workers' QUEUE_NAMESPACE: exchanges and queues <ns>.tasks, <ns>.tasks.dead, <ns>.events (+ the baseline's). */
    queueNamespace: `bench-${Date.now()}`,
  };
}
