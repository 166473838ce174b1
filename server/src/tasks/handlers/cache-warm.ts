import { Type } from 'typebox';
import type { ProfileCache } from '../../cache/profile-cache.js';
import type { ProfileRepository } from '../../repository/profiles.js';
import { STANDARD_RETRY, type TaskUnit } from '../task-type.js';

type Deps = {
  profileRepo: Pick<ProfileRepository, 'list'>;
  cache: Pick<ProfileCache, 'stored'>;
  cacheCapacity: number;
};

export const cacheWarmTask: TaskUnit<Deps> = {
  name: 'cache.warm',
  summary: 'Loads the newest `limit` profiles into the cache',
  payload: Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
    { additionalProperties: false },
  ),
  defaultPayload: {},
  retry: STANDARD_RETRY,
  submitters: 'admins',
  // Idempotent: cache writes are version-guarded.
  handler: (deps) => async (payload) => {
    const limit = Math.min(Number(payload.limit ?? deps.cacheCapacity), deps.cacheCapacity);
    const newest = await deps.profileRepo.list({ limit });
    // Oldest first, so that the newest end up youngest in the FIFO order.
    for (const p of newest.reverse()) await deps.cache.stored(p);
    return { warmed: newest.length };
  },
};
