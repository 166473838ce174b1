// "search": GET /api/v1/profiles?q= over a million people, against the plain list page on the same
// rows, and what searching does to everyone else: GET by id alone, then the same GET by id load while
// ten clients search. Runs last, on the run's "service" instance, after the rows are added (the other
// parts keep their smaller table). Terms are a mix a search box sees: first names (1 row in 40), last
// names (1 in 50), full names (1 in 2,000), fragments, and terms that match nothing; an admin's
// search also matches emails (one row each). Target: search p99 ≤ 20 ms, and GET by id's p99 under
// search no worse than 1.5× alone.
import { withClient } from '../lib/db.js';
import { adminHeaders } from '../lib/identity.js';
import { failedNote, type LoadResult, type LoadSpec, runLoad } from '../lib/load.js';
import type { Running } from '../lib/proc.js';
import { pick, sample } from '../lib/random.js';
import type { Resources } from '../lib/resources.js';
import { FIRST_NAMES, LAST_NAMES, seedPeople } from '../lib/seed.js';

export const SEARCH_PART = 'search';
/** Clients searching at once, as in the report that asked for this part. */
export const SEARCHERS = 10;
export const searchTargets = { p99Ms: 20, byIdUnderSearch: 1.5 };

export type SearchRun = { name: string; connections: number; result: LoadResult };
export type SearchResult = {
  rows: number;
  seedSeconds: number;
  runs: SearchRun[];
  /** GET by id p99 while searching ÷ alone. */
  byIdRatio: number;
  met: { search: boolean; byId: boolean };
  warnings: string[];
};

const lower = (names: string[]) => names.map((n) => n.toLowerCase());

function nameTerms(): string[] {
  const full = Array.from({ length: 20 }, () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`.toLowerCase());
  const fragments = ['ovela', 'opper', 'kstra', 'amura', 'rvald', 'uring', 'ace h', 'ldwas'];
  const misses = ['zzyzx', 'qwertz', 'xylophone', 'nobody here', 'ada zhang lovelace'];
  return [
    ...sample(lower(FIRST_NAMES), 20),
    ...sample(lower(LAST_NAMES), 20),
    ...full,
    ...fragments,
    ...misses,
  ];
}

const emailTerm = (rows: number) =>
  `${pick(lower(FIRST_NAMES))}.${pick(lower(LAST_NAMES))}.${1 + Math.floor(Math.random() * rows)}@`;

function searchSpec(terms: () => string, headers?: Record<string, string>): LoadSpec {
  const path = () => `/api/v1/profiles?limit=20&q=${encodeURIComponent(terms())}`;
  return { path: path(), ...(headers ? { headers } : {}), next: () => ({ path: path() }) };
}

const byIdSpec = (ids: readonly string[]): LoadSpec => ({
  path: `/api/v1/profiles/${ids[0]}`,
  next: () => ({ path: `/api/v1/profiles/${pick(ids)}` }),
});

/** Adds the people and returns a sample of ids for GET by id. */
async function prepare(dbUrl: string, rows: number): Promise<{ ids: string[]; seedSeconds: number }> {
  process.stdout.write(`${SEARCH_PART}: adding ${rows} people … `);
  const started = performance.now();
  await seedPeople(dbUrl, rows);
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`${seedSeconds.toFixed(1)} s`);
  const ids = await withClient(dbUrl, async (c) =>
    (await c.query<{ id: string }>('SELECT id FROM profiles TABLESAMPLE SYSTEM (2) LIMIT 20000')).rows.map(
      (r) => r.id,
    ),
  );
  return { ids, seedSeconds };
}

const line = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms${failedNote(r)}`;

export async function runSearch(res: Resources, service: Running): Promise<SearchResult> {
  const { dbUrl, durationSec, warmupSec, connections, searchRows } = res.config;
  const { ids, seedSeconds } = await prepare(dbUrl, searchRows);
  const terms = nameTerms();
  const byName = searchSpec(() => pick(terms));
  const admin = await adminHeaders();
  const readers = Math.max(1, connections - SEARCHERS);
  const opts = (conns: number) => ({ connections: conns, durationSec, warmupSec });
  const load = async (name: string, spec: LoadSpec, conns: number): Promise<SearchRun> => {
    process.stdout.write(`${SEARCH_PART} → ${name} … `);
    const result = await runLoad(service.url, spec, opts(conns));
    console.log(line(result));
    return { name, connections: conns, result };
  };
  const list = await load('list page', { path: '/api/v1/profiles?limit=20' }, SEARCHERS);
  const anonymous = await load('search by name (anonymous)', byName, SEARCHERS);
  // As few clients as the gate runs at once: a search's own latency, without queueing.
  const few = await load('search by name, 2 clients', byName, 2);
  const emailSpec = searchSpec(() => (Math.random() < 0.5 ? emailTerm(searchRows) : pick(terms)), admin);
  const byAdmin = await load('search by name or email (admin)', emailSpec, SEARCHERS);
  const alone = await load('GET by id, alone', byIdSpec(ids), readers);
  // Both loads at once: the reads are measured, the searches keep the pool as busy as they can.
  process.stdout.write(`${SEARCH_PART} → GET by id while ${SEARCHERS} clients search … `);
  const [underSearch, searching] = await Promise.all([
    runLoad(service.url, byIdSpec(ids), opts(readers)),
    runLoad(service.url, byName, opts(SEARCHERS)),
  ]);
  console.log(line(underSearch));
  const runs = [
    list,
    anonymous,
    few,
    byAdmin,
    alone,
    { name: `GET by id while ${SEARCHERS} clients search`, connections: readers, result: underSearch },
    { name: '  (the searches meanwhile)', connections: SEARCHERS, result: searching },
  ];
  const byIdRatio = underSearch.p99 / alone.result.p99;
  const searchP99s = [anonymous, few, byAdmin].map((r) => r.result.p99);
  return {
    rows: searchRows,
    seedSeconds,
    runs,
    byIdRatio,
    met: {
      search: searchP99s.every((p) => p <= searchTargets.p99Ms),
      byId: byIdRatio <= searchTargets.byIdUnderSearch,
    },
    warnings: runs
      .filter((r) => r.result.non2xx + r.result.errors > 0)
      .map((r) => `"${r.name}": ${r.result.non2xx} non-2xx, ${r.result.errors} errors`),
  };
}
