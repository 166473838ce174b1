import type { Database } from '../db/database.js';

/**
 * Runs `deletion` (a DELETE whose `$1` is the cut-off and `$2` the batch size) and returns how many
 * rows it removed: the retention jobs' batches, each small enough to keep its locks short.
 */
export async function pruneBatch(
  db: Pick<Database, 'query'>,
  name: string,
  deletion: string,
  before: Date,
  limit: number,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH d AS (${deletion} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [before, limit],
    name,
  );
  return rows[0]?.n ?? 0;
}
