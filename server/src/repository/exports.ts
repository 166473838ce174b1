import type { Queryable } from '../db/database.js';

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
    async find(id: string): Promise<unknown | undefined> {
      const rows = await db.query<{ content: unknown }>(
        'SELECT content FROM exports WHERE id = $1',
        [id],
        'export_by_id',
      );
      return rows[0]?.content;
    },
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
