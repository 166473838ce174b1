// Load benchmark: the profile service against minimal baselines doing the same work, on one fresh database.
//
//   npm run bench                                  # builds the server, then runs everything
//   BENCH_DURATION=3 node --import tsx bench/run.ts  # quicker, server already built
//
// Env: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default 32),
// BENCH_ROUNDS (default 2, best kept), BENCH_ONLY (scenario name substring), BENCH_SEED_ROWS (default 10000), BENCH_ADMIN_URL (default postgres://root@127.0.0.1:5432/postgres).
// Writes bench/results/latest.json; exits 1 if any run saw non-2xx responses or connection errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, dropDatabase, recreateDatabase, withClient } from './lib/db.js';
import { failures, type LoadResult, type LoadSpec, runLoad } from './lib/load.js';
import { baseEnv, freePort, type Running, spawnAndWaitReady } from './lib/proc.js';
import { fixed, formatTable } from './lib/table.js';

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
};
const dbUrl = databaseUrl(config.adminUrl, config.dbName);

// ---------------------------------------------------------------------------------------------------
// Targets: the service under test and the baselines it is compared with, each its own process.

type BaselineName = 'fastify-pg';

async function startService(): Promise<Running> {
  const port = await freePort();
  return spawnAndWaitReady({
    name: 'service',
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
    },
    port,
    readyPath: '/health/ready',
  });
}

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
};

// ---------------------------------------------------------------------------------------------------
// Scenarios: one entry per comparison. `load` says what each side is sent; both run in the same process
// against the same database, one after the other (the side that goes first alternates).

type Context = { ids: readonly string[]; runId: string };
type Side = 'service' | 'baseline';
type Scenario = {
  name: string;
  baseline: BaselineName;
  load: Record<Side, (ctx: Context) => LoadSpec>;
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

function byId(prefix: string) {
  return ({ ids }: Context): LoadSpec => ({
    path: `${prefix}/${ids[0]}`,
    next: () => ({ path: `${prefix}/${pick(ids)}` }),
  });
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
];

// ---------------------------------------------------------------------------------------------------

type ScenarioResult = {
  name: string;
  baseline: BaselineName;
  order: Side[];
  flagged: boolean;
  service: LoadResult;
  baselineResult: LoadResult;
  ratios: { rps: number; p99: number };
};

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
    rows.push([
      r.name,
      'service',
      fixed(r.service.rps, 0),
      fixed(r.service.p50),
      fixed(r.service.p99),
      fixed(r.ratios.rps),
      fixed(r.ratios.p99),
      check(r.service),
    ]);
    rows.push([
      '',
      r.baseline,
      fixed(r.baselineResult.rps, 0),
      fixed(r.baselineResult.p50),
      fixed(r.baselineResult.p99),
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
      { header: 'check' },
    ],
    rows,
  );
}

function writeResults(results: ScenarioResult[]): string {
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
    },
    scenarios: results.map((r) => ({
      name: r.name,
      order: r.order,
      flagged: r.flagged,
      service: r.service,
      baseline: { name: r.baseline, ...r.baselineResult },
      ratios: { rpsVsBaseline: r.ratios.rps, p99VsBaseline: r.ratios.p99 },
    })),
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------------

const running: Running[] = [];
let dbCreated = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled(running.map((r) => r.stop()));
    if (dbCreated) {
      await dropDatabase(config.adminUrl, config.dbName).catch((err: Error) =>
        console.error(`could not drop database ${config.dbName}: ${err.message}`),
      );
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping children and dropping the bench database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  console.log(
    `bench: ${config.durationSec}s per run (+${config.warmupSec}s warm-up), ${config.connections} connections, ` +
      `${config.seedRows} seeded profiles, node ${process.version}, ${os.cpus().length} CPUs`,
  );
  await recreateDatabase(config.adminUrl, config.dbName);
  dbCreated = true;

  const service = await startService();
  running.push(service);
  console.log(`service ready at ${service.url} (log: ${service.logFile})`);

  const ids = await seed();
  console.log(`seeded ${ids.length} profiles`);
  const ctx: Context = { ids, runId: Date.now().toString(36) };

  const started = new Map<BaselineName, Running>();
  const baselineFor = async (name: BaselineName) => {
    let b = started.get(name);
    if (!b) {
      b = await baselines[name]();
      running.push(b);
      started.set(name, b);
      console.log(`baseline ${name} ready at ${b.url} (log: ${b.logFile})`);
      await preflight(service, b, ids);
    }
    return b;
  };

  const opts = {
    connections: config.connections,
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
  };
  const results: ScenarioResult[] = [];
  const only = process.env.BENCH_ONLY?.toLowerCase();
  const selected = only ? scenarios.filter((s) => s.name.toLowerCase().includes(only)) : scenarios;
  for (const [i, scenario] of selected.entries()) {
    const baseline = await baselineFor(scenario.baseline);
    const order: Side[] = i % 2 === 0 ? ['service', 'baseline'] : ['baseline', 'service'];
    const out: Partial<Record<Side, LoadResult>> = {};
    // Interleaved rounds (A B A B …); each side keeps its best round, so a burst of noise on this
    // shared 2-core machine during one run does not decide the ratio.
    for (let round = 0; round < config.rounds; round++) {
      for (const side of order) {
        const target = side === 'service' ? service : baseline;
        process.stdout.write(
          `${scenario.name} → ${side === 'service' ? 'service' : scenario.baseline} (round ${round + 1}) … `,
        );
        const r = await runLoad(target.url, scenario.load[side](ctx), opts);
        const prev = out[side];
        // A round with failures is kept so that the scenario is flagged; otherwise the faster round.
        if (!prev) out[side] = r;
        else if (failures(prev) === 0 && (failures(r) > 0 || r.rps > prev.rps)) out[side] = r;
        console.log(
          `${fixed(r.rps, 0)} req/s, p99 ${fixed(r.p99)} ms${failures(r) ? `, ${failures(r)} FAILED` : ''}`,
        );
      }
    }
    const s = out.service as LoadResult;
    const b = out.baseline as LoadResult;
    results.push({
      name: scenario.name,
      baseline: scenario.baseline,
      order,
      flagged: failures(s) + failures(b) > 0,
      service: s,
      baselineResult: b,
      ratios: { rps: s.rps / b.rps, p99: s.p99 / b.p99 },
    });
  }

  console.log(`\n${report(results)}\n`);
  console.log(
    'req/s vs base: service ÷ baseline (higher is better); p99 vs base: service ÷ baseline (lower is better)',
  );
  console.log(`results: ${writeResults(results)}`);
  const flagged = results.filter((r) => r.flagged);
  if (flagged.length > 0) {
    console.error(
      `\nWARNING: errors during ${flagged.map((r) => `"${r.name}"`).join(', ')}; those numbers are not valid`,
    );
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
