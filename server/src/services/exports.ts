import { isAdmin, type Principal } from '../auth/principal.js';
import { ERRORS } from '../errors.js';
import { isUuid } from '../lib/ids.js';
import type { ExportRepository } from '../repository/exports.js';

/**
 * Profile exports made by the profile.export task, read back by their task's id: by its submitter or
 * an admin (anyone else gets 404, not a hint that it exists), until they expire after `ttlMs`.
 */
export function createExportService({
  repo,
  ttlMs,
  clock = () => new Date(),
}: {
  repo: Pick<ExportRepository, 'find'>;
  ttlMs: number;
  clock?: () => Date;
}) {
  return {
    async get(viewer: Principal, id: string): Promise<unknown> {
      if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
      const notBefore = new Date(clock().getTime() - ttlMs);
      const content = isUuid(id)
        ? await repo.find(id, isAdmin(viewer) ? null : viewer.sub, notBefore)
        : undefined;
      if (content === undefined) throw ERRORS.notFound('export');
      return content;
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
