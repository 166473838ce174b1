// What a run prints at the end: one table per part that ran, with its legend, then the problems that make
// any of its numbers invalid.
import { failures, type LoadResult } from './lib/load.js';
import { fixed, formatTable, left, right } from './lib/table.js';
import type { FeaturesResult } from './scenarios/features.js';
import { featuresTable } from './scenarios/features-report.js';
import type { GrowthResult } from './scenarios/growth.js';
import { GROWTH_LEGEND, growthTable } from './scenarios/growth-report.js';
import { AUTH_COST_NEEDS, type AuthCost } from './scenarios/http/auth-cost.js';
import { CACHED, type Derived } from './scenarios/http/cached.js';
import { DB_PATH } from './scenarios/http/database.js';
import { MEMORY_LEGEND, memoryTable, rssTable, TASKS_MEMORY_LEGEND } from './scenarios/http/memory-report.js';
import { PROFILE_LEGEND, profileTables } from './scenarios/http/profile-report.js';
import type { ScenarioResult } from './scenarios/http/scenario.js';
import { CONNECTIONS, IMAGE_PART, type ImagesResult, imageTarget } from './scenarios/images.js';
import type { SearchResult } from './scenarios/search.js';
import { searchTable } from './scenarios/search-report.js';
import type { BatchStats, Dist } from './scenarios/tasks/batch.js';
import { taskProfileTables } from './scenarios/tasks/profile.js';
import type { Submitted } from './scenarios/tasks/submit.js';
import { type TasksResult, targetNames } from './scenarios/tasks/suite.js';
import type { TracingResult } from './scenarios/tracing.js';
import { tracingTable } from './scenarios/tracing-report.js';

export type Report = {
  http: ScenarioResult[];
  derived: Derived | undefined;
  authCost: AuthCost[];
  tasks: TasksResult | undefined;
  images: ImagesResult[] | undefined;
  search: SearchResult | undefined;
  tracing: TracingResult | undefined;
  features: FeaturesResult | undefined;
  growth: GrowthResult | undefined;
};

const check = (x: LoadResult) => (failures(x) === 0 ? 'ok' : `ERRORS: ${x.non2xx} non-2xx, ${x.errors} conn`);

const backendCpu = (m: ScenarioResult['service']) => [
  fixed(m.backendCpuUsPerRequest?.postgres ?? Number.NaN, 0),
  fixed(m.backendCpuUsPerRequest?.redis ?? Number.NaN, 0),
];

function httpRows(r: ScenarioResult): string[][] {
  const hits = r.service.cache?.hitRatio;
  const service = [
    r.name,
    r.serviceName,
    fixed(r.service.rps, 0),
    fixed(r.service.p50),
    fixed(r.service.p99),
    fixed(r.service.cpuUsPerRequest ?? Number.NaN, 0),
    ...backendCpu(r.service),
    fixed(r.ratios.rps),
    fixed(r.ratios.p99),
    fixed(r.ratios.cpu),
    hits === null || hits === undefined ? '' : `${fixed(hits * 100, 1)}%`,
    [check(r.service), ...r.warnings.map(() => 'CACHE WARNING')].join(', '),
  ];
  const b = r.baselineResult;
  const cpu = fixed(b.cpuUsPerRequest ?? Number.NaN, 0);
  return [
    service,
    [
      '',
      r.baseline,
      fixed(b.rps, 0),
      fixed(b.p50),
      fixed(b.p99),
      cpu,
      ...backendCpu(b),
      '',
      '',
      '',
      '',
      check(b),
    ],
  ];
}

function httpTable(results: ScenarioResult[]): string {
  return formatTable(
    [
      ...left('scenario', 'target'),
      ...right('req/s', 'p50 ms', 'p99 ms', 'µs CPU/req', 'PG µs/req', 'Redis µs/req'),
      ...right('req/s vs base', 'p99 vs base', 'CPU vs base'),
      ...right('cache hits'),
      ...left('check'),
    ],
    results.flatMap(httpRows),
  );
}

const HTTP_LEGEND =
  'req/s vs base: service ÷ baseline (higher is better); p99 vs base: service ÷ baseline (lower is better); ' +
  "µs CPU/req: the target's own CPU time (user + system) over the measured run per request, which the load " +
  'generator sharing the machine does not blur; PG / Redis µs/req: what every PostgreSQL process / ' +
  "redis-server used over the same run, per request (the machine's own servers, which nothing else " +
  'uses meanwhile); CPU vs base: service ÷ baseline (lower is better); ' +
  "cache hits: the service's cache hit ratio during the kept measured run; the service's reads are " +
  'anonymous unless a token is named, its writes carry the token named, the baselines take none; ' +
  "the services at the run's settings (first line: production = tracing 10 % and rate limiting on)";

const signed = (n: number, digits = 0) => (n >= 0 ? `+${fixed(n, digits)}` : fixed(n, digits));

function authCostTable(costs: AuthCost[]): string {
  if (costs.length === 0) return `token vs anonymous GET: n/a (needs ${AUTH_COST_NEEDS}; see BENCH_ONLY)`;
  return formatTable(
    [
      ...left('token vs anonymous GET by id'),
      ...right('anon req/s', 'token req/s', 'req/s ratio', 'ratio ÷ base'),
      ...right('anon mean ms', 'token mean ms', 'Δ mean µs', 'Δ µs/req'),
    ],
    costs.map((c) => [
      `${c.authenticated.target}, ${c.path === 'cached' ? 'from its Redis cache' : 'through the database'}`,
      fixed(c.anonymous.rps, 0),
      fixed(c.authenticated.rps, 0),
      `${fixed(c.rpsRatio, 3)}×`,
      `${fixed(c.rpsRatioNormalised, 3)}×`,
      fixed(c.anonymous.mean, 3),
      fixed(c.authenticated.mean, 3),
      signed(c.meanLatencyUs),
      signed(c.perRequestUs, 1),
    ]),
  );
}

const AUTH_LEGEND =
  "token: an ordinary user's bearer token, on every request (the service verifies it once, then keeps it until it expires or its keys change; same ids, same " +
  'public body); req/s ratio: token ÷ anonymous; ratio ÷ base: the same with each side first divided by ' +
  'its own baseline run (cancels machine drift between the two scenarios); Δ mean µs: extra mean latency ' +
  'per request at this concurrency; Δ µs/req: 1e6 ÷ req/s token − 1e6 ÷ req/s anonymous, the service time ' +
  'a request costs more (the token check, when the service is the bottleneck)';

function derivedTable(d: Derived | undefined): string {
  if (!d) return `cached GET vs DB GET: n/a (needs both "${DB_PATH}" and "${CACHED}"; see BENCH_ONLY)`;
  const table = formatTable(
    [...left('cached GET vs DB GET'), ...right('req/s', 'p99 ms')],
    [
      [`${d.cached.target} "${d.cached.scenario}"`, fixed(d.cached.rps, 0), fixed(d.cached.p99)],
      [`${d.db.target} "${d.db.scenario}" (DB path)`, fixed(d.db.rps, 0), fixed(d.db.p99)],
      ['cached ÷ DB', `${fixed(d.rpsRatio)}×`, `${fixed(d.p99Ratio)}×`],
    ],
  );
  const targets = formatTable(
    [...left('target'), ...right('actual'), ...left('')],
    d.targets.map((t) => [
      `${t.name} ${t.op === '>=' ? '≥' : '≤'} ${t.bound}×`,
      `${fixed(t.value)}×`,
      t.met ? 'met' : 'NOT MET',
    ]),
  );
  return `${table}\n\n${targets}`;
}

const status = (submit: Submitted, stats: BatchStats) =>
  submit.rejected === 0 && stats.succeeded === submit.offered
    ? 'ok'
    : `ERRORS: ${submit.rejected} rejected, ${stats.failed} failed, ${stats.unfinished} unfinished`;

const verdict = (r: TasksResult, name: string) => {
  const t = r.targets.find((x) => x.name === name);
  return t ? `${t.target}: ${t.met ? 'met' : 'NOT MET'}` : '';
};

const dist = (d: Dist) => [fixed(d.p50), fixed(d.p95), fixed(d.p99), fixed(d.max)];
const NO_DIST = ['', '', '', ''];

function throughputRows(r: TasksResult): string[][] {
  const rows = r.throughput.map((t) => [
    `throughput (${t.stats.total} echo)`,
    String(t.workers),
    fixed(t.tasksPerSec, 0),
    ...NO_DIST,
    r.baseline ? `${fixed(t.vsBaseline)}×` : '',
    t.workers === 2 ? verdict(r, targetNames.throughput) : '',
    status(t.submit, t.stats),
  ]);
  const b = r.baseline;
  if (b) {
    const label = `amqp-echo baseline (${b.messages} msgs, ${b.confirmWindow} confirms in flight)`;
    rows.push([label, '', fixed(b.msgsPerSec, 0), ...NO_DIST, '', '', 'ok']);
  }
  return rows;
}

function latencyRows(r: TasksResult): string[][] {
  const l = r.latency;
  if (!l) return [];
  return [
    [
      `@${l.rate}/s submit→succeeded`,
      String(l.workers),
      '',
      ...dist(l.stats.e2e),
      '',
      verdict(r, targetNames.latency(l.rate)),
      `${status(l.submit, l.stats)} (${l.stats.total} tasks, accepted ${fixed(l.submit.acceptedPerSec, 1)}/s)`,
    ],
    [`@${l.rate}/s scheduler lag`, String(l.workers), '', ...dist(l.stats.lag), '', '', ''],
  ];
}

function delayedRows(r: TasksResult): string[][] {
  const d = r.delayed;
  if (!d) return [];
  return [
    [
      `delayed ${d.delaySec} s: scheduler lag`,
      String(d.workers),
      '',
      ...dist(d.stats.lag),
      '',
      verdict(r, targetNames.delayed),
      `${status(d.submit, d.stats)} (${d.stats.total} tasks)`,
    ],
  ];
}

function tasksTable(r: TasksResult): string {
  return formatTable(
    [
      ...left('tasks scenario'),
      ...right('workers', 'tasks/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'vs amqp-echo'),
      ...left('target', 'check'),
    ],
    [...throughputRows(r), ...latencyRows(r), ...delayedRows(r)],
  );
}

function taskCpuTable(r: TasksResult): string {
  const roles = ['api', 'workers', 'postgres', 'rabbitmq'];
  return formatTable(
    [...left('CPU ms per task'), ...right('workers', ...roles, 'all', 'load gen')],
    r.throughput.map((t) => {
      const ms = roles.map((role) => t.cpuMsPerTask[role] ?? Number.NaN);
      return [
        `throughput (${t.stats.total} echo)`,
        String(t.workers),
        ...ms.map((m) => fixed(m, 2)),
        fixed(
          ms.reduce((a, b) => a + b, 0),
          2,
        ),
        fixed(t.cpuMsPerTask.load ?? Number.NaN, 2),
      ];
    }),
  );
}

const TASK_CPU_LEGEND =
  "CPU ms per task: each role's CPU time over the batch ÷ the tasks that succeeded: the API (the " +
  'submissions, and the task events it consumes for its event streams), the workers (scheduler, relay, ' +
  "consumer), every PostgreSQL process, RabbitMQ; all ÷ the machine's cores bounds the tasks per second; " +
  'load gen: the bench process that submits the tasks and polls for their end, on the same cores';

const TASKS_LEGEND =
  'tasks/s: succeeded ÷ (last finished_at − first created_at), submission included (32 in flight); ' +
  'vs amqp-echo: ÷ the baseline msgs/s (publish with confirms → consume with acks, no database); ' +
  'submit→succeeded: finished_at − created_at; scheduler lag: started_at − run_at';

function imagesTable(results: ImagesResult[]): string {
  const first = results[0];
  const megapixels = (r: ImagesResult) => `${fixed((r.fixture.width * r.fixture.height) / 1e6, 1)} MP`;
  return formatTable(
    [
      ...left(IMAGE_PART, 'JPEG'),
      ...right('per s', 'p50 ms', 'p99 ms', 'vs raw', 'raw vs first'),
      ...left(`target ${imageTarget.label}`),
    ],
    results.flatMap((r) => {
      const { service: s, raw } = r;
      const size = `${r.fixture.width}×${r.fixture.height} (${megapixels(r)})`;
      return [
        [
          `service: POST …/images, ${CONNECTIONS} in flight`,
          size,
          fixed(s.rps, 1),
          fixed(s.p50),
          fixed(s.p99),
          `${fixed(r.ratio)}×`,
          '',
          r.met ? 'met' : 'NOT MET',
        ],
        [
          `raw sharp, ${r.concurrency} at a time`,
          size,
          fixed(raw.perSec, 1),
          fixed(raw.p50),
          fixed(raw.p99),
          '',
          first ? `${fixed(raw.perSec / first.raw.perSec)}×` : '',
          '',
        ],
      ];
    }),
  );
}

const IMAGES_LEGEND =
  'vs raw: uploads/s ÷ the same sharp work alone on the same file; raw vs first: raw sharp ÷ its rate on ' +
  "the smallest photo (the pixels' own cost, against which the service's ratio shows its overhead)";

export function printReport(r: Report): void {
  if (r.http.length > 0) {
    console.log(`\n${httpTable(r.http)}\n`);
    console.log(HTTP_LEGEND);
    console.log(`\n${derivedTable(r.derived)}\n`);
    console.log(`\n${authCostTable(r.authCost)}\n`);
    if (r.authCost.length > 0) console.log(`${AUTH_LEGEND}\n`);
    console.log(`\n${memoryTable(r.http)}\n${MEMORY_LEGEND}\n`);
    const profiles = profileTables(r.http);
    if (profiles) console.log(`\n${profiles}\n\n${PROFILE_LEGEND}\n`);
  }
  if (r.tasks) {
    console.log(`\n${tasksTable(r.tasks)}\n`);
    console.log(`${TASKS_LEGEND}\n`);
    const b = r.tasks.backlog;
    if (b) {
      console.log(
        `before the tasks, the first worker relayed ${b.events - b.left} of the ${b.events} outbox events ` +
          `the HTTP scenarios left, in ${fixed(b.seconds, 1)} s (${fixed(b.perSec, 0)} events/s)\n`,
      );
    }
    if (r.tasks.throughput.length > 0) console.log(`${taskCpuTable(r.tasks)}\n${TASK_CPU_LEGEND}\n`);
    if (r.tasks.profiles.length > 0) console.log(`${taskProfileTables(r.tasks.profiles)}\n`);
    if (r.tasks.memory.length > 0) console.log(`${rssTable(r.tasks.memory)}\n${TASKS_MEMORY_LEGEND}\n`);
  }
  if (r.images) console.log(`\n${imagesTable(r.images)}\n${IMAGES_LEGEND}\n`);
  if (r.growth) console.log(`\n${growthTable(r.growth)}\n${GROWTH_LEGEND}\n`);
  if (r.search) console.log(`\n${searchTable(r.search)}\n`);
  if (r.tracing) console.log(`\n${tracingTable(r.tracing)}\n`);
  if (r.features) console.log(`\n${featuresTable(r.features)}\n`);
}

function printWarnings(heading: string, warnings: readonly string[]): void {
  console.error(heading);
  for (const w of warnings) console.error(`  - ${w}`);
}

/** Prints why numbers of the run are not valid; returns whether there was any such reason. */
export function printProblems(r: Report): boolean {
  const quoted = (rs: ScenarioResult[]) => rs.map((x) => `"${x.name}"`).join(', ');
  const flagged = r.http.filter((x) => x.flagged);
  if (flagged.length > 0)
    console.error(`\nWARNING: errors during ${quoted(flagged)}; those numbers are not valid`);
  const warned = r.http.filter((x) => x.warnings.length > 0);
  if (warned.length > 0) {
    printWarnings(
      `\nWARNING: cache problems during ${quoted(warned)}; those numbers are not valid:`,
      warned.flatMap((x) => x.warnings),
    );
  }
  const images = r.images?.flatMap((x) => x.warnings) ?? [];
  if (images.length > 0)
    printWarnings('\nWARNING: image upload problems; those numbers are not valid:', images);
  const tasks = r.tasks?.warnings ?? [];
  if (tasks.length > 0) printWarnings('\nWARNING: task problems; those numbers are not valid:', tasks);
  const search = r.search?.warnings ?? [];
  if (search.length > 0) printWarnings('\nWARNING: search problems; those numbers are not valid:', search);
  const tracing = r.tracing?.warnings ?? [];
  if (tracing.length > 0) printWarnings('\nWARNING: tracing problems; those numbers are not valid:', tracing);
  const growth = r.growth?.warnings ?? [];
  if (growth.length > 0) printWarnings('\nWARNING: growth problems; those numbers are not valid:', growth);
  const features = r.features?.warnings ?? [];
  if (features.length > 0)
    printWarnings('\nWARNING: feature cost problems; those numbers are not valid:', features);
  return (
    flagged.length +
      warned.length +
      images.length +
      tasks.length +
      search.length +
      tracing.length +
      growth.length +
      features.length >
    0
  );
}
