import { Type } from 'typebox';
import { SYSTEM } from '../../auth/principal.js';
import type { ProfileService } from '../../services/profiles.js';
import { STANDARD_RETRY, type TaskUnit } from '../task-type.js';

type Deps = { profiles: Pick<ProfileService, 'remove'> };

export const profilePurgeTask: TaskUnit<Deps> = {
  name: 'profile.purge',
  summary: 'Deletes a profile (a delayed, cancellable deletion)',
  payload: Type.Object({ profile_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  defaultPayload: {},
  retry: STANDARD_RETRY,
  submitters: 'profile-owner',
  // Idempotent: a profile already gone counts as purged.
  handler: (deps) => async (payload) => {
    try {
      await deps.profiles.remove(SYSTEM, String(payload.profile_id));
      return { purged: true };
    } catch (err) {
      if ((err as { code?: string }).code === 'not_found') return { purged: false, reason: 'not_found' };
      throw err;
    }
  },
};
