// Load benchmark: the profile service against minimal baselines doing the same work, on one fresh database.
//
//   npm run bench                                  # builds the server, then runs everything
//   BENCH_DURATION=3 node --import tsx bench/run.ts  # quicker, server already built
//
// Parts, in this order, each on the same "service" (server/dist/cmd/server.js; Postgres and Redis must be up,
// RabbitMQ for the task parts); BENCH_ONLY runs those whose name contains it (lower-case match), the other
// options are in lib/config.ts:
//   HTTP scenarios (scenarios/http/)  "GET by id", "GET by id (user token)", "GET list page",
//                      "POST create (admin token)", "PATCH update (owner token)", "PATCH update (admin token)"
//                      vs fastify-pg, and "GET by id (cached)", "GET by id (cached, user token)" on
//                      service-redis vs fastify-redis; then cached ÷ DB GET, and token ÷ anonymous GET
//                      (BENCH_ONLY="get by id": the four reads that comparison needs; "token": every
//                      scenario that sends one)
//   tasks (scenarios/tasks/)          "tasks throughput", "tasks latency", "tasks delayed"; BENCH_ONLY=tasks
//   images (scenarios/images.ts)      "images upload"; BENCH_ONLY=images
//   tracing (scenarios/tracing.ts)    "GET by id", "GET list page", "POST create (admin token)" on the
//                                     service with the tracing bootstrap: off, 10 % and 100 % sampled, exporting
//                                     to an OTLP receiver of the bench's, each as a ratio to off; BENCH_ONLY=tracing
//   feature cost (scenarios/features.ts)  the cached GET under wrk on service-redis at production settings,
//                                     then with sampled traces, tracing, rate limits and the access line
//                                     turned off one after another, and on fastify-redis: CPU per request
//                                     of each, and what each step saved; BENCH_ONLY=feature
//   growth (scenarios/growth.ts)      GET by id and list pages (one deep in the keyset) at 10k, 100k and 1M profiles,
//                                     vs fastify-pg at each size and vs the service's own 10k figures; BENCH_ONLY=growth
//   search (scenarios/search.ts)      search over BENCH_SEARCH_ROWS (1M) more profiles, its effect on GET by id;
//                                     BENCH_ONLY=search
// The services verify tokens of an OpenID Provider the bench runs in its own process (lib/identity.ts);
// the baselines take none. At BENCH_SETTINGS=production (the default) the HTTP scenarios' services also
// trace (10 % sampled, exported to the bench's OTLP receiver) and rate-limit (budgets the load stays
// under), as production runs them; BENCH_SETTINGS=capacity leaves both off. Every HTTP scenario reports
// each side's CPU time per request and saves a CPU profile of each (bench/results/profiles/).
// Targets: cached GET ≥ 0.85× fastify-redis req/s, p99 ≤ 1.5×, ≥ 3× DB GET; ≥ 1000 tasks/s with 2 workers,
// p50 submit→succeeded ≤ 50 ms at 200/s, delayed tasks start ≤ 1 s after due; uploads ≥ 0.8× raw sharp;
// search p99 ≤ 20 ms over 1M profiles, GET by id p99 while 10 clients search ≤ 1.5× alone.
// Default run: 8 scenarios × 2 sides × 2 rounds × (10 s + 2 s warm-up) ≈ 6.5 min, then the tasks ≈ 0.5 min
// and the images ≈ 1 min, the search part ≈ 2 min (a million rows added, 5 runs); the feature cost part
// 6 sides × 2 rounds × 12 s ≈ 2.5 min.
// Writes bench/results/latest.json; exits 1 if any run saw non-2xx responses or connection errors, if
// service-redis did not serve the cached scenario from its cache, or if a task batch did not all succeed.
import os from 'node:os';
import { checkBroker } from './lib/amqp.js';
import { type Config, readConfig, selectedBy } from './lib/config.js';
import { cleanupOnSignals, createResources } from './lib/resources.js';
import { seedProfiles } from './lib/seed.js';
import { services } from './lib/targets.js';
import { printProblems, printReport } from './report.js';
import { writeResults } from './results.js';
import { FEATURES_PART, runFeatures } from './scenarios/features.js';
import { GROWTH_PART, runGrowth } from './scenarios/growth.js';
import { deriveAuthCost } from './scenarios/http/auth-cost.js';
import { derive } from './scenarios/http/cached.js';
import { httpScenarios, runHttp } from './scenarios/http/suite.js';
import { IMAGE_PART, runImages } from './scenarios/images.js';
import { runSearch, SEARCH_PART } from './scenarios/search.js';
import { runTasks, selectTaskParts } from './scenarios/tasks/suite.js';
import { runTracing, TRACING_PART } from './scenarios/tracing.js';

const config = readConfig();
const res = createResources(config);
cleanupOnSignals(res);

function selectParts(only: string | undefined) {
  const http = httpScenarios.filter((s) => selectedBy(only, s.name));
  const tasks = selectTaskParts(only);
  const images = selectedBy(only, IMAGE_PART);
  const search = selectedBy(only, SEARCH_PART);
  const tracing = selectedBy(only, TRACING_PART);
  const growth = selectedBy(only, GROWTH_PART);
  const features = selectedBy(only, FEATURES_PART);
  if (http.length === 0 && tasks.length === 0 && !images && !search && !tracing && !growth && !features) {
    const names = [
      ...httpScenarios.map((s) => s.name),
      ...selectTaskParts(undefined),
      IMAGE_PART,
      SEARCH_PART,
      TRACING_PART,
      FEATURES_PART,
      GROWTH_PART,
    ];
    throw new Error(`BENCH_ONLY="${only}" matches none of: ${names.join(', ')}`);
  }
  return { http, tasks, images, search, tracing, features, growth };
}

const describe = (c: Config) =>
  `bench: ${c.durationSec}s per run (+${c.warmupSec}s warm-up), ${c.connections} connections, ` +
  `${c.seedRows} seeded profiles, ${c.tasks} tasks per throughput run, ${c.settings} settings, node ${process.version}, ` +
  `${os.cpus().length} CPUs`;

async function main(): Promise<number> {
  const parts = selectParts(config.only);
  console.log(describe(config));
  // Before minutes of HTTP scenarios: the task parts need the broker.
  if (parts.tasks.length > 0) await checkBroker(config.queueUri);
  await res.createDatabase();
  // Started first: it migrates the fresh database, which the seeding needs.
  const service = await services.service(res);
  // The HTTP scenarios read profiles; image uploads go to them.
  const needsIds = parts.http.length > 0 || parts.images || parts.tracing || parts.features || parts.growth;
  const ids = needsIds ? await seedProfiles(config.dbUrl, config.seedRows) : [];
  if (ids.length > 0) console.log(`seeded ${ids.length} profiles`);

  const http = await runHttp(res, service, parts.http, ids);
  // Right after the HTTP scenarios, on the same rows: the same requests, traced or not.
  const tracing = parts.tracing ? await runTracing(res, ids) : undefined;
  const features = parts.features ? await runFeatures(res, ids) : undefined;
  const tasks = parts.tasks.length > 0 ? await runTasks(res, service, parts.tasks) : undefined;
  // Last: its rows and files would otherwise sit under the HTTP scenarios' and tasks' feet.
  const images = parts.images ? await runImages(res, service, ids) : undefined;
  // Grows the table to a million and back: after the parts that read the seeded rows.
  const growth = parts.growth ? await runGrowth(res, service) : undefined;
  // After everything else: it adds a million rows the other parts must not read.
  const search = parts.search ? await runSearch(res, service) : undefined;

  const report = {
    http,
    derived: derive(http),
    authCost: deriveAuthCost(http),
    tasks,
    images,
    search,
    tracing,
    features,
    growth,
  };
  printReport(report);
  console.log(`results: ${writeResults(config, report)}`);
  return printProblems(report) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await res.cleanup();
}
