// What a search may cost. A term is matched through trigram indexes, which only narrow the rows
// read when the term holds a whole trigram (three letters or digits in a row); a shorter or
// scattered term would read the whole table. Searches run a few at a time per instance, each
// under a timeout, so however many clients search, the rest of the pool serves everyone else.
import pLimit from 'p-limit';
import type { SearchConfig } from '../config.js';
import { sqlState } from '../db/database.js';
import { ERRORS } from '../errors.js';

const WORD_RUN = /[\p{L}\p{N}]{3}/u;

/** The term to search for (trimmed; undefined: no search), or a 400 for one no index can narrow. */
export function searchTerm(q: string | undefined): string | undefined {
  const term = q?.trim();
  if (!term) return undefined;
  if (!WORD_RUN.test(term)) {
    const message = 'must have at least 3 letters or digits in a row';
    throw ERRORS.validationFailed(`q: ${message}`, [{ field: 'q', message }]);
  }
  return term;
}

/** Searches beyond this many per running one are refused rather than queued. */
const WAITING_PER_SLOT = 16;

export type SearchGate = {
  readonly timeoutMs: number;
  run<T>(search: (timeoutMs: number) => Promise<T>): Promise<T>;
};

export function createSearchGate(config: SearchConfig): SearchGate {
  const limit = pLimit(config.concurrency);
  const maxWaiting = config.concurrency * WAITING_PER_SLOT;
  return {
    timeoutMs: config.timeoutMs,
    async run(search) {
      if (limit.pendingCount >= maxWaiting) {
        throw ERRORS.unavailable('Too many searches are running; retry shortly');
      }
      try {
        return await limit(() => search(config.timeoutMs));
      } catch (err) {
        if (sqlState(err) !== '57014') throw err;
        throw ERRORS.unavailable(`The search took longer than ${config.timeoutMs} ms; narrow it or retry`);
      }
    },
  };
}
