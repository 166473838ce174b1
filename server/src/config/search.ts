import { duration, type Env, int } from './env.js';

export type SearchConfig = Readonly<{
  /**
   * Searches one instance runs at once: each holds a database connection while it runs, so the rest
   * of the pool stays free for everything else however many clients search.
   */
  concurrency: number;
  /** The longest one search statement may run (the embedded database cannot cancel one). */
  timeoutMs: number;
}>;

export function searchConfig(env: Env): SearchConfig {
  return Object.freeze({
    concurrency: int(env, 'SEARCH_CONCURRENCY', 2, 1, 100),
    timeoutMs: duration(env, 'SEARCH_TIMEOUT', '1s', 60_000),
  });
}
