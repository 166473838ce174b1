import { ERRORS } from '../errors.js';
import { isUuid } from '../lib/ids.js';
import type { ExportRepository } from '../repository/exports.js';

/** Profile exports made by the profile.export task, read back by their task's id. */
export function createExportService({ repo }: { repo: Pick<ExportRepository, 'find'> }) {
  return {
    async get(id: string): Promise<unknown> {
      const content = isUuid(id) ? await repo.find(id) : undefined;
      if (content === undefined) throw ERRORS.notFound('export');
      return content;
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
