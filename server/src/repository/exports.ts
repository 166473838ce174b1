import type { Queryable } from '../db/database.js';
import { pruneBatch } from './prune.js';

export function createExportRepository(db: Queryable) {
  return {
    /** Idempotent: the export of a task is keyed by the task's id. */
    async save(id: string, profileId: string, content: unknown): Promise<number> {
      const json = JSON.stringify(content);
      await db.query(
        `INSERT INTO exports (id, profile_id, content) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, created_at = now()`,
        [id, profileId, json],
        'export_save',
      );
      return Buffer.byteLength(json);
    },
    /**
     * An export younger than `notBefore`, if `submitter` submitted its task (null: anyone's). An
     * export is readable while its task is kept.
     */
    async find(id: string, submitter: string | null, notBefore: Date): Promise<unknown | undefined> {
      const rows = await db.query<{ content: unknown }>(
        `SELECT e.content FROM exports e JOIN tasks t ON t.id = e.id
         WHERE e.id = $1 AND e.created_at >= $3 AND ($2::text IS NULL OR t.submitted_by = $2::text)`,
        [id, submitter, notBefore],
        'export_by_id',
      );
      return rows[0]?.content;
    },

    /** Deletes up to `limit` exports made before `before`; how many went. */
    async pruneOlder(before: Date, limit: number): Promise<number> {
      return pruneBatch(
        db,
        'export_prune',
        'DELETE FROM exports WHERE id IN (SELECT id FROM exports WHERE created_at < $1 LIMIT $2)',
        before,
        limit,
      );
    },
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
