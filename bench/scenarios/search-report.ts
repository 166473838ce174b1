// The search part's table.
import { fixed, formatTable, left, right } from '../lib/table.js';
import { SEARCH_PART, type SearchResult, searchTargets } from './search.js';

export function searchTable(r: SearchResult): string {
  const rows = r.runs.map((run) => [
    run.name,
    String(run.connections),
    fixed(run.result.rps, 0),
    fixed(run.result.p50),
    fixed(run.result.p99),
    run.result.non2xx + run.result.errors === 0 ? 'ok' : 'ERRORS',
  ]);
  const table = formatTable(
    [
      ...left(`${SEARCH_PART} over ${r.rows} more profiles`),
      ...right('conns', 'req/s', 'p50 ms', 'p99 ms'),
      ...left(''),
    ],
    rows,
  );
  return [
    table,
    '',
    `search p99 ≤ ${searchTargets.p99Ms} ms: ${r.met.search ? 'met' : 'NOT MET'}; ` +
      `GET by id p99 while searching ÷ alone: ${fixed(r.byIdRatio)}× ` +
      `(≤ ${searchTargets.byIdUnderSearch}×: ${r.met.byId ? 'met' : 'NOT MET'}); rows added in ${fixed(r.seedSeconds, 1)} s`,
  ].join('\n');
}
