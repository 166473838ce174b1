import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** Resolves to server/migrations both from src/ (tsx) and from dist/ (compiled). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

// Any fixed 64-bit key works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK_KEY = 7_403_112_905;

export type Migration = { version: string; sql: string; checksum: string };

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(`${dir}/${file}`, 'utf8');
      return {
        version: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction, under a session advisory lock
 * so that several instances starting at once apply each migration exactly once.
 * Refuses to run when an applied migration's file was edited after it landed.
 */
export async function migrate(
  db: Pick<Database, 'session'>,
  log: (msg: string) => void = () => {},
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await s.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const rows = await s.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const applied = new Map(rows.map((r) => [r.version, r.checksum]));
      const done: string[] = [];
      for (const m of migrations) {
        const known = applied.get(m.version);
        if (known !== undefined) {
          if (known !== m.checksum) throw new Error(`migration ${m.version} was edited after it was applied`);
          continue;
        }
        await s.query('BEGIN');
        try {
          await s.query(m.sql);
          await s.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
            m.version,
            m.checksum,
          ]);
          await s.query('COMMIT');
        } catch (err) {
          await s.query('ROLLBACK').catch(() => {});
          throw new Error(`migration ${m.version} failed: ${(err as Error).message}`, { cause: err });
        }
        log(`applied migration ${m.version}`);
        done.push(m.version);
      }
      return done;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
