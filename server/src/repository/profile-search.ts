// Search: profiles whose name (and, for an admin, email) holds a term, newest first, keyset-paged
// like the list. Two ways to find them, each cheap where the other is not: walking the newest rows
// in order stops early for a common term but reads the whole table for a rare one; the trigram
// indexes find a rare term's few rows at once but must fetch and sort every row of a common one.
// So the newest RECENT_WINDOW rows are tried first, and only a term too rare to fill a page there
// goes to the indexes; either way a search reads a bounded number of rows.
import type { Database } from '../db/database.js';
import type { Cursor } from '../lib/cursor.js';
import { PROFILE_COLUMNS, type ProfileRecord, type ProfileRow, toProfile } from './profiles.js';

const RECENT_WINDOW = 5_000;

/** Escapes LIKE wildcards so that the term matches literally. */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export type SearchQuery = {
  q: string;
  limit: number;
  after?: Cursor | undefined;
  /** Match emails too: only an admin's search does (no one else finds a person by an email). */
  searchEmail: boolean;
  /** Both reads together are cancelled after this long. */
  timeoutMs: number;
};

export function createProfileSearch(db: Pick<Database, 'reader'>) {
  return {
    async search(query: SearchQuery): Promise<ProfileRecord[]> {
      const params: unknown[] = [likePattern(query.q), query.limit];
      if (query.after) params.push(query.after.createdAt, query.after.id);
      const keyset = query.after ? '(created_at, id) < ($3, $4::uuid)' : 'true';
      const match = query.searchEmail ? '(name ILIKE $1 OR email ILIKE $1)' : 'name ILIKE $1';
      const order = 'ORDER BY created_at DESC, id DESC';
      const named = (base: string) => `${base}${query.after ? '_after' : ''}${query.searchEmail ? '_e' : ''}`;
      return db.reader.within(query.timeoutMs, async (tx) => {
        const recent = await tx.query<ProfileRow>(
          `SELECT * FROM (SELECT ${PROFILE_COLUMNS} FROM profiles WHERE ${keyset} ${order} LIMIT ${RECENT_WINDOW}) r
           WHERE ${match} ${order} LIMIT $2`,
          params,
          named('profile_search_recent'),
        );
        if (recent.length >= query.limit) return recent.map(toProfile);
        // Fewer matches than a page among the newest rows: the term is rare, so the indexes find
        // all of its rows cheaply. Only misestimated statistics would make the planner walk the
        // table in order instead; this transaction forbids that.
        await tx.query('SET LOCAL enable_seqscan = off');
        await tx.query('SET LOCAL enable_indexscan = off');
        const all = await tx.query<ProfileRow>(
          `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE ${keyset} AND ${match} ${order} LIMIT $2`,
          params,
          named('profile_search_indexed'),
        );
        return all.map(toProfile);
      });
    },
  };
}

export type ProfileSearch = ReturnType<typeof createProfileSearch>;
