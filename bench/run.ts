// Load benchmark: the profile service against minimal baselines doing the same work, on one fresh database.
//
//   npm run bench                                  # builds the server, then runs everything
//   BENCH_DURATION=3 node --import tsx bench/run.ts  # quicker, server already built
//
// What runs, each its own child process (Postgres and Redis must be up):
//   service        node server/dist/cmd/server.js, no REDIS_ADDRESS: in-process cache of CACHE_MAX_ENTRIES=10,
//                  so its GET by id over the 10k seeded ids is the database path (~all misses)
//   service-redis  the same build and env plus REDIS_ADDRESS, CACHE_KEY_PREFIX=bench:{pc}:, CACHE_MAX_ENTRIES=1000
//   fastify-pg     bench/baselines/fastify-pg.ts: minimal Fastify + pg, same SQL
//   fastify-redis  bench/baselines/fastify-redis.ts: minimal Fastify + ioredis, one GET of the cached entry
// Scenarios (service side vs baseline, interleaved rounds, best round of each side kept):
//   GET by id            service vs fastify-pg, random seeded id
//   GET list page        service vs fastify-pg
//   POST create          service vs fastify-pg, unique emails
//   GET by id (cached)   service-redis vs fastify-redis, random id of a hot set of 200 seeded ids that is
//                        warmed on service-redis first (its entries then serve both sides, same Redis keys)
// Tasks (bench/tasks.ts, on the same "service" plus worker processes server/dist/cmd/worker.js on RabbitMQ
// under the queue namespace bench-<timestamp>, deleted at cleanup): echo-task throughput with 1 and 2 workers
// vs the amqp-echo baseline (bench/baselines/amqp-echo.ts: amqplib publish with confirms → consume with
// acks on a quorum queue), latency at 200 tasks/s, and punctuality of tasks delayed 2 s; a second table,
// "tasks" in latest.json. Targets: ≥ 1000 tasks/s with 2 workers, p50 submit→succeeded ≤ 50 ms at 200/s,
// delayed tasks start ≤ 1 s after due.
// Images (bench/images.ts, last, on the same "service"): uploads of one 2 MP JPEG to successive seeded
// profiles vs the sharp-raw baseline (bench/baselines/sharp-raw.ts) doing the same sharp work on the same
// file; "images" in latest.json. Target ≥ 0.8× raw sharp throughput. BENCH_ONLY=images runs only it.
// After the table: "cached GET vs DB GET" = service-redis req/s on "GET by id (cached)" ÷ service req/s on
// "GET by id", with p99s and the targets (cached ≥ 0.85× fastify-redis req/s, p99 ≤ 1.5×; cached ≥ 3× DB GET).
// The service's cache hit ratio of each measured run is read from its /metrics (column "cache hits").
// Keys under bench:{pc}: are deleted (SCAN MATCH, never KEYS) before service-redis starts and at cleanup.
//
// Env: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default 32),
// BENCH_ROUNDS (default 2, best kept), BENCH_ONLY (scenario name substring, lower-case match; the task parts are
// "tasks throughput", "tasks latency", "tasks delayed", so BENCH_ONLY=tasks runs only them),
// BENCH_SEED_ROWS (default 10000), BENCH_ADMIN_URL (default postgres://root@127.0.0.1:5432/postgres),
// BENCH_REDIS_ADDRESS (host:port, default 127.0.0.1:6379; only needed by the cached scenario),
// BENCH_TASKS (default 2000, tasks per throughput run), BENCH_QUEUE_URI (default amqp://guest:guest@127.0.0.1:5672).
// BENCH_DURATION is also the length of the 200 tasks/s latency run.
// Default run: 4 scenarios × 2 sides × 2 rounds × (10 s + 2 s warm-up) ≈ 3.5 min, then the tasks ≈ 0.5 min.
// Writes bench/results/latest.json; exits 1 if any run saw non-2xx responses or connection errors, if
// service-redis did not serve the cached scenario from its cache, or if a task batch did not all succeed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { IMAGE_PART, type ImagesResult, reportImages, runImages } from './images.js';
import { checkBroker, deleteTopology } from './lib/amqp.js';
import { databaseUrl, dropDatabase, recreateDatabase, withClient } from './lib/db.js';
import { failures, type LoadResult, type LoadSpec, runLoad } from './lib/load.js';
import { baseEnv, freePort, type Running, type Stoppable, spawnAndWaitReady } from './lib/proc.js';
import { connectRedis, deleteByPrefix } from './lib/redis.js';
import { fixed, formatTable } from './lib/table.js';
import { reportTasks, runTasks, selectTaskParts, type TasksResult, tasksLegend } from './tasks.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name}: expected an integer >= ${min}, got "${raw}"`);
  return value;
}

const config = {
  adminUrl: process.env.BENCH_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
  dbName: 'profiles_bench',
  durationSec: envInt('BENCH_DURATION', 10, 1),
  warmupSec: envInt('BENCH_WARMUP', 2, 0),
  connections: envInt('BENCH_CONNECTIONS', 32, 1),
  seedRows: envInt('BENCH_SEED_ROWS', 10_000, 100),
  rounds: envInt('BENCH_ROUNDS', 2, 1),
  redisAddress: process.env.BENCH_REDIS_ADDRESS?.trim() || '127.0.0.1:6379',
  /** Namespace of service-redis's cache keys, read by fastify-redis too; emptied before and after. */
  cacheKeyPrefix: 'bench:{pc}:',
  hotSetSize: 200,
  tasks: envInt('BENCH_TASKS', 2000, 1),
  queueUri: process.env.BENCH_QUEUE_URI?.trim() || 'amqp://guest:guest@127.0.0.1:5672',
  /** The workers' QUEUE_NAMESPACE: exchanges and queues <ns>.tasks, <ns>.tasks.dead, <ns>.events (+ the baseline's). */
  queueNamespace: `bench-${Date.now()}`,
};
const dbUrl = databaseUrl(config.adminUrl, config.dbName);
/** The services' DATA_DIRs (their uploaded images), one per service, removed at cleanup. */
const mediaRoot = mkdtempSync(join(os.tmpdir(), 'profiles-bench-data-'));

/** The bench's own Redis connection (clearing keys, checking fills); opened on first use. */
let redisAdmin: Promise<Redis> | undefined;
const redis = () => {
  redisAdmin ??= connectRedis(config.redisAddress);
  return redisAdmin;
};

// ---------------------------------------------------------------------------------------------------
// Targets: the service under test and the baselines it is compared with, each its own process.

type ServiceName = 'service' | 'service-redis';
type BaselineName = 'fastify-pg' | 'fastify-redis';

async function startService(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  return spawnAndWaitReady({
    name,
    args: ['server/dist/cmd/server.js'],
    cwd: ROOT,
    env: {
      ...baseEnv(),
      DB_URI: dbUrl,
      SERVER_PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      DB_POOL_MAX: '10',
      // Uploaded images go to a directory of the bench's own, removed at cleanup.
      DATA_DIR: join(mediaRoot, name),
      ...extraEnv,
    },
    port,
    readyPath: '/health/ready',
  });
}

const services: Record<ServiceName, () => Promise<Running>> = {
  // No REDIS_ADDRESS: the in-process cache (default capacity 10).
  service: () => startService('service'),
  'service-redis': async () => {
    const removed = await deleteByPrefix(await redis(), config.cacheKeyPrefix);
    if (removed > 0) console.log(`deleted ${removed} stale keys under ${config.cacheKeyPrefix}`);
    return startService('service-redis', {
      REDIS_ADDRESS: config.redisAddress,
      CACHE_KEY_PREFIX: config.cacheKeyPrefix,
      CACHE_MAX_ENTRIES: '1000',
    });
  },
};

const baselines: Record<BaselineName, () => Promise<Running>> = {
  'fastify-pg': async () => {
    const port = await freePort();
    return spawnAndWaitReady({
      name: 'fastify-pg',
      args: ['--import', 'tsx', 'bench/baselines/fastify-pg.ts'],
      cwd: ROOT,
      env: { ...baseEnv(), NODE_ENV: 'production', DB_URI: dbUrl, PORT: String(port), HOST: '127.0.0.1' },
      port,
      readyPath: '/health/ready',
    });
  },
  'fastify-redis': async () => {
    const port = await freePort();
    return spawnAndWaitReady({
      name: 'fastify-redis',
      args: ['--import', 'tsx', 'bench/baselines/fastify-redis.ts'],
      cwd: ROOT,
      env: {
        ...baseEnv(),
        NODE_ENV: 'production',
        REDIS_ADDRESS: config.redisAddress,
        CACHE_KEY_PREFIX: config.cacheKeyPrefix,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      port,
      readyPath: '/health/ready',
    });
  },
};

// ---------------------------------------------------------------------------------------------------
// Scenarios: one entry per comparison. `load` says what each side is sent; both run in the same process
// against the same database, one after the other (the side that goes first alternates).

/** ids: every seeded id; hot: the cached scenario's hot set, a random sample of them. */
type Context = { ids: readonly string[]; hot: readonly string[]; runId: string };
type Side = 'service' | 'baseline';
type Targets = { service: Running; baseline: Running };
type Scenario = {
  name: string;
  /** The service instance under test; 'service' unless said otherwise. */
  service?: ServiceName;
  baseline: BaselineName;
  load: Record<Side, (ctx: Context) => LoadSpec>;
  /** Runs once before the first round, both targets ready; returns warnings that invalidate the scenario. */
  prepare?: (targets: Targets, ctx: Context) => Promise<string[]>;
  /** The service should answer (nearly) every lookup from its cache; a lower hit ratio is a warning. */
  expectCacheHits?: boolean;
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** `count` distinct items, uniformly at random (partial Fisher–Yates). */
function sample<T>(items: readonly T[], count: number): T[] {
  const copy = [...items];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function byId(prefix: string, set: 'ids' | 'hot' = 'ids') {
  return (ctx: Context): LoadSpec => {
    const ids = ctx[set];
    return {
      path: `${prefix}/${ids[0]}`,
      next: () => ({ path: `${prefix}/${pick(ids)}` }),
    };
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Fills service-redis's cache with the hot set (one GET each), checks that the entries are in Redis and
 * that a second GET is a hit, and that fastify-redis sends byte-for-byte what service-redis sends.
 */
async function warmHotSet({ service, baseline }: Targets, { hot }: Context): Promise<string[]> {
  const warnings: string[] = [];
  const xCache: Record<string, number> = {};
  await eachLimit(hot, 8, async (id) => {
    const res = await fetch(`${service.url}/api/v1/profiles/${id}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`warm-up: GET ${id} on ${service.name} answered ${res.status}`);
    const header = res.headers.get('x-cache') ?? '(none)';
    xCache[header] = (xCache[header] ?? 0) + 1;
  });
  const client = await redis();
  const entryPrefix = `${config.cacheKeyPrefix}e:`;
  const present = await client.exists(...hot.map((id) => entryPrefix + id));
  console.log(
    `warmed ${hot.length} hot ids on ${service.name} (x-cache: ${Object.entries(xCache)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ${present} of them cached in Redis`,
  );
  if (present !== hot.length) {
    warnings.push(
      `${service.name} filled only ${present} of ${hot.length} hot ids into Redis after one GET each ` +
        `(keys ${entryPrefix}<id>); see ${service.logFile}`,
    );
  }

  const probes = sample(hot, 5);
  for (const id of probes) {
    const [a, b] = await Promise.all([
      fetch(`${service.url}/api/v1/profiles/${id}`),
      fetch(`${baseline.url}/profiles/${id}`),
    ]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    if (a.status !== 200 || b.status !== 200) {
      throw new Error(
        `preflight: GET ${id} answered ${a.status} (${service.name}), ${b.status} (${baseline.name})`,
      );
    }
    const header = a.headers.get('x-cache');
    if (header !== 'HIT') {
      warnings.push(
        `${service.name}: second GET of hot id ${id} answered x-cache: ${header ?? '(none)'}, not HIT`,
      );
    }
    if (ta !== tb) {
      throw new Error(`preflight: GET ${id} differs\n ${service.name}: ${ta}\n ${baseline.name}: ${tb}`);
    }
    if (!b.headers.get('content-type')?.startsWith('application/json')) {
      throw new Error(`preflight: ${baseline.name} sent content-type ${b.headers.get('content-type')}`);
    }
  }
  if (warnings.length === 0)
    console.log(`second GET of ${probes.length} hot ids: x-cache: HIT, same body on both`);
  return warnings;
}

/** POSTs with an email no other request (on either side, warm-up included) has used. */
function create(path: string, tag: string) {
  let n = 0; // shared by every round and warm-up of this side
  return ({ runId }: Context): LoadSpec => {
    const body = () => {
      n += 1;
      return JSON.stringify({
        name: `Bench ${tag} ${n}`,
        email: `${tag}-${runId}-${n}@bench.test`,
        bio: 'load test',
      });
    };
    return {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: body(),
      next: () => ({ body: body() }),
    };
  };
}

const scenarios: Scenario[] = [
  {
    name: 'GET by id',
    baseline: 'fastify-pg',
    load: { service: byId('/api/v1/profiles'), baseline: byId('/profiles') },
  },
  {
    name: 'GET list page',
    baseline: 'fastify-pg',
    load: { service: () => ({ path: '/api/v1/profiles?limit=20' }), baseline: () => ({ path: '/profiles' }) },
  },
  {
    name: 'POST create',
    baseline: 'fastify-pg',
    load: { service: create('/api/v1/profiles', 'svc'), baseline: create('/profiles', 'base') },
  },
  {
    name: 'GET by id (cached)',
    service: 'service-redis',
    baseline: 'fastify-redis',
    load: { service: byId('/api/v1/profiles', 'hot'), baseline: byId('/profiles', 'hot') },
    prepare: warmHotSet,
    expectCacheHits: true,
  },
];

/** The derived comparison: the same service with its Redis cache hot vs its database path. */
const CACHED = 'GET by id (cached)';
const DB_PATH = 'GET by id';
const derivedTargets = [
  { name: 'cached req/s vs fastify-redis', op: '>=', bound: 0.85 },
  { name: 'cached p99 vs fastify-redis', op: '<=', bound: 1.5 },
  { name: 'cached req/s vs DB GET', op: '>=', bound: 3 },
] as const;

// ---------------------------------------------------------------------------------------------------

/** The service's cache lookups during one measured run (from its /metrics); hitRatio null without lookups. */
type CacheStats = { hits: number; misses: number; hitRatio: number | null };
type Measured = LoadResult & { cache?: CacheStats };

type ScenarioResult = {
  name: string;
  serviceName: ServiceName;
  baseline: BaselineName;
  order: Side[];
  flagged: boolean;
  service: Measured;
  baselineResult: Measured;
  ratios: { rps: number; p99: number };
  /** Problems that make the numbers meaningless (e.g. the cache did not serve the cached scenario). */
  warnings: string[];
};

type Derived = {
  name: 'cached GET vs DB GET';
  cached: { scenario: string; target: ServiceName; rps: number; p99: number };
  db: { scenario: string; target: ServiceName; rps: number; p99: number };
  /** cached ÷ DB */
  rpsRatio: number;
  p99Ratio: number;
  vsFastifyRedis: { rps: number; p99: number };
  targets: Array<{ name: string; op: '>=' | '<='; bound: number; value: number; met: boolean }>;
};

/** Sum of a counter's samples in Prometheus text format. */
function counter(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^(\S+?)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m?.[1] === name) total += Number(m[2]);
  }
  return total;
}

async function cacheCounters(target: Running): Promise<{ hits: number; misses: number }> {
  const res = await fetch(`${target.url}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${target.url}/metrics answered ${res.status}`);
  return { hits: counter(text, 'cache_hits_total'), misses: counter(text, 'cache_misses_total') };
}

async function seed(): Promise<string[]> {
  return withClient(dbUrl, async (c) => {
    await c.query(
      `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
       SELECT gen_random_uuid(), 'Seed User ' || g, 'seed-' || g || '@bench.test', 'Seeded profile number ' || g, 1,
              now() - g * interval '1 minute', now() - g * interval '1 minute'
       FROM generate_series(1, $1::int) AS g`,
      [config.seedRows],
    );
    // Steady state for both sides: hint bits set and visibility map built, so neither pays the first scan.
    await c.query('VACUUM ANALYZE profiles');
    const { rows } = await c.query<{ id: string }>('SELECT id FROM profiles');
    return rows.map((r) => r.id);
  });
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`preflight: GET ${url} answered ${res.status}`);
  return res.json();
}

/** Both sides must return the same data, or the comparison means nothing. */
async function preflight(service: Running, baseline: Running, ids: readonly string[]): Promise<void> {
  const id = pick(ids);
  const [a, b] = await Promise.all([
    getJson(`${service.url}/api/v1/profiles/${id}`),
    getJson(`${baseline.url}/profiles/${id}`),
  ]);
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new Error(
      `preflight: GET by id differs\n service:  ${JSON.stringify(a)}\n baseline: ${JSON.stringify(b)}`,
    );
  }
  const [la, lb] = (await Promise.all([
    getJson(`${service.url}/api/v1/profiles?limit=20`),
    getJson(`${baseline.url}/profiles`),
  ])) as [Array<{ id: string }>, Array<{ id: string }>];
  const idsOf = (page: Array<{ id: string }>) => page.map((p) => p.id).join(',');
  if (la.length !== 20 || idsOf(la) !== idsOf(lb)) throw new Error('preflight: list pages differ');
}

function report(results: ScenarioResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    const check = (x: LoadResult) =>
      failures(x) === 0 ? 'ok' : `ERRORS: ${x.non2xx} non-2xx, ${x.errors} conn`;
    const hits = r.service.cache?.hitRatio;
    rows.push([
      r.name,
      r.serviceName,
      fixed(r.service.rps, 0),
      fixed(r.service.p50),
      fixed(r.service.p99),
      fixed(r.ratios.rps),
      fixed(r.ratios.p99),
      hits === null || hits === undefined ? '' : `${fixed(hits * 100, 1)}%`,
      [check(r.service), ...r.warnings.map(() => 'CACHE WARNING')].join(', '),
    ]);
    rows.push([
      '',
      r.baseline,
      fixed(r.baselineResult.rps, 0),
      fixed(r.baselineResult.p50),
      fixed(r.baselineResult.p99),
      '',
      '',
      '',
      check(r.baselineResult),
    ]);
  }
  return formatTable(
    [
      { header: 'scenario' },
      { header: 'target' },
      { header: 'req/s', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p99 ms', align: 'right' },
      { header: 'req/s vs base', align: 'right' },
      { header: 'p99 vs base', align: 'right' },
      { header: 'cache hits', align: 'right' },
      { header: 'check' },
    ],
    rows,
  );
}

function derive(results: ScenarioResult[]): Derived | undefined {
  const cached = results.find((r) => r.name === CACHED);
  const db = results.find((r) => r.name === DB_PATH);
  if (!cached || !db) return undefined;
  const rpsRatio = cached.service.rps / db.service.rps;
  const values: Record<(typeof derivedTargets)[number]['name'], number> = {
    'cached req/s vs fastify-redis': cached.ratios.rps,
    'cached p99 vs fastify-redis': cached.ratios.p99,
    'cached req/s vs DB GET': rpsRatio,
  };
  return {
    name: 'cached GET vs DB GET',
    cached: {
      scenario: cached.name,
      target: cached.serviceName,
      rps: cached.service.rps,
      p99: cached.service.p99,
    },
    db: { scenario: db.name, target: db.serviceName, rps: db.service.rps, p99: db.service.p99 },
    rpsRatio,
    p99Ratio: cached.service.p99 / db.service.p99,
    vsFastifyRedis: { rps: cached.ratios.rps, p99: cached.ratios.p99 },
    targets: derivedTargets.map((t) => {
      const value = values[t.name];
      return { ...t, value, met: t.op === '>=' ? value >= t.bound : value <= t.bound };
    }),
  };
}

function reportDerived(d: Derived | undefined): string {
  if (!d) return `cached GET vs DB GET: n/a (needs both "${DB_PATH}" and "${CACHED}"; see BENCH_ONLY)`;
  const table = formatTable(
    [
      { header: 'cached GET vs DB GET' },
      { header: 'req/s', align: 'right' },
      { header: 'p99 ms', align: 'right' },
    ],
    [
      [`${d.cached.target} "${d.cached.scenario}"`, fixed(d.cached.rps, 0), fixed(d.cached.p99)],
      [`${d.db.target} "${d.db.scenario}" (DB path)`, fixed(d.db.rps, 0), fixed(d.db.p99)],
      ['cached ÷ DB', `${fixed(d.rpsRatio)}×`, `${fixed(d.p99Ratio)}×`],
    ],
  );
  const targets = formatTable(
    [{ header: 'target' }, { header: 'actual', align: 'right' }, { header: '' }],
    d.targets.map((t) => [
      `${t.name} ${t.op === '>=' ? '≥' : '≤'} ${t.bound}×`,
      `${fixed(t.value)}×`,
      t.met ? 'met' : 'NOT MET',
    ]),
  );
  return `${table}\n\n${targets}`;
}

function writeResults(
  results: ScenarioResult[],
  derived: Derived | undefined,
  tasks: TasksResult | undefined,
  images: ImagesResult | undefined,
): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const cpus = os.cpus();
  const doc = {
    timestamp: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown' },
    config: {
      durationSec: config.durationSec,
      warmupSec: config.warmupSec,
      connections: config.connections,
      seedRows: config.seedRows,
      rounds: config.rounds,
      redisAddress: config.redisAddress,
      cacheKeyPrefix: config.cacheKeyPrefix,
      hotSetSize: config.hotSetSize,
      tasks: config.tasks,
    },
    scenarios: results.map((r) => ({
      name: r.name,
      order: r.order,
      flagged: r.flagged,
      warnings: r.warnings,
      service: { name: r.serviceName, ...r.service },
      baseline: { name: r.baseline, ...r.baselineResult },
      ratios: { rpsVsBaseline: r.ratios.rps, p99VsBaseline: r.ratios.p99 },
    })),
    derived: { cachedVsDbGet: derived ?? null },
    tasks: tasks ?? null,
    images: images ?? null,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------------

const running: Stoppable[] = [];
let dbCreated = false;
/** Set once workers may have declared the bench namespace on the broker. */
let brokerUsed = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled(running.map((r) => r.stop()));
    rmSync(mediaRoot, { recursive: true, force: true });
    if (brokerUsed) {
      // Children are stopped: nobody consumes from or re-declares the namespace any more.
      const ns = config.queueNamespace;
      try {
        const failed = await deleteTopology(config.queueUri, {
          queues: [`${ns}.tasks`, `${ns}.tasks.dead`, `${ns}.amqp-echo`],
          exchanges: [`${ns}.tasks`, `${ns}.tasks.dead`, `${ns}.events`],
        });
        for (const f of failed) console.error(`could not delete ${f}`);
      } catch (err) {
        console.error(`could not delete the queues of ${ns}: ${(err as Error).message}`);
      }
    }
    if (dbCreated) {
      await dropDatabase(config.adminUrl, config.dbName).catch((err: Error) =>
        console.error(`could not drop database ${config.dbName}: ${err.message}`),
      );
    }
    if (redisAdmin) {
      // Children are stopped: nothing writes under the prefix any more.
      try {
        const client = await redisAdmin;
        await deleteByPrefix(client, config.cacheKeyPrefix);
        await client.quit();
      } catch (err) {
        console.error(
          `could not delete redis keys under ${config.cacheKeyPrefix}: ${(err as Error).message}`,
        );
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping children, dropping the bench database and queues…`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const only = process.env.BENCH_ONLY?.toLowerCase();
  const selected = only ? scenarios.filter((s) => s.name.toLowerCase().includes(only)) : scenarios;
  const taskParts = selectTaskParts(only);
  const imagesSelected = !only || IMAGE_PART.includes(only);
  if (selected.length === 0 && taskParts.length === 0 && !imagesSelected) {
    const names = [...scenarios.map((s) => s.name), ...selectTaskParts(undefined), IMAGE_PART];
    throw new Error(`BENCH_ONLY="${only}" matches none of: ${names.join(', ')}`);
  }
  console.log(
    `bench: ${config.durationSec}s per run (+${config.warmupSec}s warm-up), ${config.connections} connections, ` +
      `${config.seedRows} seeded profiles, ${config.tasks} tasks per throughput run, node ${process.version}, ` +
      `${os.cpus().length} CPUs`,
  );
  // Before minutes of HTTP scenarios: the task parts need the broker.
  if (taskParts.length > 0) await checkBroker(config.queueUri);
  await recreateDatabase(config.adminUrl, config.dbName);
  dbCreated = true;

  // Started first: it migrates the fresh database, which the seeding needs.
  const service = await services.service();
  running.push(service);
  console.log(`service ready at ${service.url} (log: ${service.logFile})`);

  // The HTTP scenarios read profiles; image uploads go to them.
  const ids = selected.length > 0 || imagesSelected ? await seed() : [];
  if (ids.length > 0) console.log(`seeded ${ids.length} profiles`);
  const ctx: Context = { ids, hot: sample(ids, config.hotSetSize), runId: Date.now().toString(36) };

  const startedServices = new Map<ServiceName, Running>([['service', service]]);
  const serviceFor = async (name: ServiceName) => {
    let s = startedServices.get(name);
    if (!s) {
      s = await services[name]();
      running.push(s);
      startedServices.set(name, s);
      console.log(`${name} ready at ${s.url} (log: ${s.logFile})`);
    }
    return s;
  };
  const started = new Map<BaselineName, Running>();
  const baselineFor = async (name: BaselineName) => {
    let b = started.get(name);
    if (!b) {
      b = await baselines[name]();
      running.push(b);
      started.set(name, b);
      console.log(`baseline ${name} ready at ${b.url} (log: ${b.logFile})`);
      // fastify-redis serves only what service-redis cached: its scenario's prepare compares the two.
      if (name === 'fastify-pg') await preflight(service, b, ids);
    }
    return b;
  };

  const opts = {
    connections: config.connections,
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
  };
  const results: ScenarioResult[] = [];
  for (const [i, scenario] of selected.entries()) {
    const serviceName = scenario.service ?? 'service';
    const targets: Targets = {
      service: await serviceFor(serviceName),
      baseline: await baselineFor(scenario.baseline),
    };
    const warnings = (await scenario.prepare?.(targets, ctx)) ?? [];
    for (const w of warnings) console.error(`WARNING: ${w}`);
    const order: Side[] = i % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service'];
    const out: Partial<Record<Side, Measured>> = {};
    // Interleaved rounds (A B A B …); each side keeps its best round, so a burst of noise on this
    // shared 2-core machine during one run does not decide the ratio.
    for (let round = 0; round < config.rounds; round++) {
      for (const side of order) {
        const target = targets[side];
        process.stdout.write(`${scenario.name} → ${target.name} (round ${round + 1}) … `);
        // The service's cache counters around the measured run (not the warm-up).
        let before: { hits: number; misses: number } | undefined;
        const r: Measured = await runLoad(target.url, scenario.load[side](ctx), {
          ...opts,
          ...(side === 'service'
            ? {
                beforeMeasure: async () => {
                  before = await cacheCounters(target);
                },
              }
            : {}),
        });
        if (side === 'service' && before) {
          const after = await cacheCounters(target);
          const hits = after.hits - before.hits;
          const misses = after.misses - before.misses;
          r.cache = { hits, misses, hitRatio: hits + misses > 0 ? hits / (hits + misses) : null };
        }
        const prev = out[side];
        // A round with failures is kept so that the scenario is flagged; otherwise the faster round.
        if (!prev) out[side] = r;
        else if (failures(prev) === 0 && (failures(r) > 0 || r.rps > prev.rps)) out[side] = r;
        const hitNote =
          r.cache?.hitRatio !== null && r.cache?.hitRatio !== undefined
            ? `, cache hits ${fixed(r.cache.hitRatio * 100, 1)}%`
            : '';
        console.log(
          `${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms${hitNote}${failures(r) ? `, ${failures(r)} FAILED` : ''}`,
        );
      }
    }
    const s = out.service as Measured;
    const b = out.baseline as Measured;
    if (scenario.expectCacheHits) {
      const ratio = s.cache?.hitRatio;
      if (ratio === null || ratio === undefined || ratio < 0.99) {
        const w =
          `${serviceName} served ${ratio === null || ratio === undefined ? 'no lookups' : `${fixed(ratio * 100, 1)}%`} ` +
          `of "${scenario.name}" from its cache (expected ~100%; see ${targets.service.logFile})`;
        console.error(`WARNING: ${w}`);
        warnings.push(w);
      }
    }
    results.push({
      name: scenario.name,
      serviceName,
      baseline: scenario.baseline,
      order,
      flagged: failures(s) + failures(b) > 0,
      service: s,
      baselineResult: b,
      ratios: { rps: s.rps / b.rps, p99: s.p99 / b.p99 },
      warnings,
    });
  }

  let tasks: TasksResult | undefined;
  if (taskParts.length > 0) {
    brokerUsed = true;
    tasks = await runTasks({
      root: ROOT,
      dbUrl,
      queueUri: config.queueUri,
      namespace: config.queueNamespace,
      service,
      parts: taskParts,
      count: config.tasks,
      durationSec: config.durationSec,
      track: (child) => running.push(child),
    });
  }

  // Last: its rows and files would otherwise sit under the HTTP scenarios' and tasks' feet.
  let images: ImagesResult | undefined;
  if (imagesSelected) {
    images = await runImages({
      root: ROOT,
      service,
      ids,
      durationSec: config.durationSec,
      warmupSec: config.warmupSec,
      rounds: config.rounds,
      track: (child) => running.push(child),
    });
  }

  const derived = derive(results);
  if (results.length > 0) {
    console.log(`\n${report(results)}\n`);
    console.log(
      'req/s vs base: service ÷ baseline (higher is better); p99 vs base: service ÷ baseline (lower is better); ' +
        "cache hits: the service's cache hit ratio during the kept measured run",
    );
    console.log(`\n${reportDerived(derived)}\n`);
  }
  if (tasks) {
    console.log(`\n${reportTasks(tasks)}\n`);
    console.log(`${tasksLegend}\n`);
  }
  if (images) console.log(`\n${reportImages(images)}\n`);
  console.log(`results: ${writeResults(results, derived, tasks, images)}`);
  let code = 0;
  const flagged = results.filter((r) => r.flagged);
  if (flagged.length > 0) {
    console.error(
      `\nWARNING: errors during ${flagged.map((r) => `"${r.name}"`).join(', ')}; those numbers are not valid`,
    );
    code = 1;
  }
  const warned = results.filter((r) => r.warnings.length > 0);
  if (warned.length > 0) {
    console.error(
      `\nWARNING: cache problems during ${warned.map((r) => `"${r.name}"`).join(', ')}; those numbers are not valid:`,
    );
    for (const r of warned) for (const w of r.warnings) console.error(`  - ${w}`);
    code = 1;
  }
  if (images && images.warnings.length > 0) {
    console.error('\nWARNING: image upload problems; those numbers are not valid:');
    for (const w of images.warnings) console.error(`  - ${w}`);
    code = 1;
  }
  if (tasks && tasks.warnings.length > 0) {
    console.error('\nWARNING: task problems; those numbers are not valid:');
    for (const w of tasks.warnings) console.error(`  - ${w}`);
    code = 1;
  }
  return code;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
