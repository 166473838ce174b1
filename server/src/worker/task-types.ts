import { setTimeout as sleep } from 'node:timers/promises';
import { type TSchema, Type } from 'typebox';
import type { ProfileCache } from '../cache/profile-cache.js';
import type { ExportRepository } from '../repository/exports.js';
import { OBJECT_CLEANUP_TASK } from '../repository/object-cleanup.js';
import type { ProfileRepository } from '../repository/profiles.js';
import type { ImageService } from '../services/images.js';
import type { ProfileService } from '../services/profiles.js';
import { OBJECT_KEY } from '../storage/storage.js';

export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export type TaskContext = {
  /** Aborted when the worker must give the task up (its lease was lost). */
  signal: AbortSignal;
  attempt: number;
  taskId: string;
};

/** A failure that no retry can mend (e.g. the profile does not exist): the task fails at once. */
export class PermanentTaskError extends Error {
  override readonly name = 'PermanentTaskError';
}

/** One typed unit of work: a name, its payload schema, its retry policy and an idempotent handler. */
export type TaskType = {
  name: string;
  summary: string;
  payload: TSchema;
  /** The payload used when the request gives none. */
  defaultPayload: Record<string, unknown>;
  retry: RetryPolicy;
  /** Scheduled by the service itself, never accepted from the API. */
  internal?: boolean;
  run(payload: Record<string, unknown>, ctx: TaskContext): Promise<unknown>;
};

export type TaskDeps = {
  profiles: Pick<ProfileService, 'remove'>;
  profileRepo: Pick<ProfileRepository, 'list' | 'findById'>;
  exports: Pick<ExportRepository, 'save'>;
  cache: Pick<ProfileCache, 'stored'>;
  cacheCapacity: number;
  images: Pick<ImageService, 'removeObjects'>;
};

const STANDARD: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^(attempt−1))]. */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export function createTaskTypes(deps: TaskDeps): Map<string, TaskType> {
  const types: TaskType[] = [
    {
      name: 'sleep',
      summary: 'Waits `seconds` (the original demo task)',
      payload: Type.Object(
        { seconds: Type.Number({ minimum: 0, maximum: 3600, default: 10 }) },
        { additionalProperties: false },
      ),
      defaultPayload: { seconds: 10 },
      retry: STANDARD,
      // No side effect: running it twice is harmless.
      async run(payload, ctx) {
        const seconds = Number(payload.seconds);
        await sleep(seconds * 1000, undefined, { signal: ctx.signal });
        return { slept_seconds: seconds };
      },
    },
    {
      name: 'echo',
      summary: 'Returns its payload as the result',
      payload: Type.Record(Type.String(), Type.Unknown()),
      defaultPayload: {},
      retry: STANDARD,
      async run(payload) {
        return payload;
      },
    },
    {
      name: 'profile.export',
      summary: 'Stores a JSON export of a profile and its images; the result holds its URL',
      payload: Type.Object({ profile_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      defaultPayload: {},
      retry: STANDARD,
      // Idempotent: the export is keyed by the task id, so a re-run replaces it.
      async run(payload, ctx) {
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
    },
    {
      name: 'profile.purge',
      summary: 'Deletes a profile (a delayed, cancellable deletion)',
      payload: Type.Object({ profile_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      defaultPayload: {},
      retry: STANDARD,
      // Idempotent: a profile already gone counts as purged.
      async run(payload) {
        try {
          await deps.profiles.remove(String(payload.profile_id));
          return { purged: true };
        } catch (err) {
          if ((err as { code?: string }).code === 'not_found') return { purged: false, reason: 'not_found' };
          throw err;
        }
      },
    },
    {
      name: 'cache.warm',
      summary: 'Loads the newest `limit` profiles into the cache',
      payload: Type.Object(
        { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
        { additionalProperties: false },
      ),
      defaultPayload: {},
      retry: STANDARD,
      // Idempotent: cache writes are version-guarded.
      async run(payload) {
        const limit = Math.min(Number(payload.limit ?? deps.cacheCapacity), deps.cacheCapacity);
        const newest = await deps.profileRepo.list({ limit });
        // Oldest first, so that the newest end up youngest in the FIFO order.
        for (const p of newest.reverse()) await deps.cache.stored(p);
        return { warmed: newest.length };
      },
    },
    {
      name: OBJECT_CLEANUP_TASK.type,
      summary: 'Deletes image objects that no image names any more',
      payload: Type.Object(
        { keys: Type.Array(Type.String({ pattern: OBJECT_KEY.source }), { minItems: 1, maxItems: 100_000 }) },
        { additionalProperties: false },
      ),
      defaultPayload: {},
      retry: { maxAttempts: OBJECT_CLEANUP_TASK.maxAttempts, baseDelayMs: 1_000, maxDelayMs: 300_000 },
      internal: true,
      // Idempotent: deleting a missing object succeeds, and a key an image names again is kept.
      async run(payload) {
        return deps.images.removeObjects(payload.keys as string[]);
      },
    },
  ];
  return new Map(types.map((t) => [t.name, t]));
}
