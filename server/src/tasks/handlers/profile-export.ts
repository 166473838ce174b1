import { Type } from 'typebox';
import type { ExportRepository } from '../../repository/exports.js';
import type { ProfileRepository } from '../../repository/profiles.js';
import { PermanentTaskError, STANDARD_RETRY, type TaskUnit } from '../task-type.js';

type Deps = { profileRepo: Pick<ProfileRepository, 'findById'>; exports: Pick<ExportRepository, 'save'> };

export const profileExportTask: TaskUnit<Deps> = {
  name: 'profile.export',
  summary: 'Stores a JSON export of a profile and its images; the result holds its URL',
  payload: Type.Object({ profile_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  defaultPayload: {},
  retry: STANDARD_RETRY,
  submitters: 'profile-owner',
  // Idempotent: the export is keyed by the task id, so a re-run replaces it.
  handler: (deps) => async (payload, ctx) => {
    const profileId = String(payload.profile_id);
    const profile = await deps.profileRepo.findById(profileId);
    if (!profile) throw new PermanentTaskError(`profile ${profileId} does not exist`);
    const bytes = await deps.exports.save(ctx.taskId, profileId, {
      format: 'profile-export/v1',
      exported_at: new Date().toISOString(),
      profile,
      images: profile.image_urls,
    });
    return { url: `/api/v1/exports/${ctx.taskId}`, bytes };
  },
};
