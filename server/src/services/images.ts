import type { Image } from '../api/schemas/image.js';
import type { Principal } from '../auth/principal.js';
import type { ProfileCache } from '../cache/profile-cache.js';
import { AppError, ERRORS } from '../errors.js';
import { isUuid, newId } from '../lib/ids.js';
import { MAX_IMAGES_PER_PROFILE } from '../media/limits.js';
import type { ImageProcessor, ProcessedImage } from '../media/processor.js';
import type { Seal } from '../repository/idempotency.js';
import type { ImageRecord, ImageRepository, InsertOutcome } from '../repository/images.js';
import type { ProfileRepository } from '../repository/profiles.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { Logger } from '../telemetry/logger.js';
import type { ImageMetrics } from '../telemetry/metrics.js';
import { mayChange } from './profile-views.js';

type Deps = {
  repo: Pick<
    ImageRepository,
    'insert' | 'listByProfile' | 'delete' | 'scheduleCleanup' | 'removeIfUnreferenced'
  >;
  profiles: Pick<ProfileRepository, 'findById'>;
  processor: Pick<ImageProcessor, 'process'>;
  storage: Pick<ObjectStorage, 'put' | 'delete'>;
  cache: Pick<ProfileCache, 'updated'>;
  metrics: Pick<ImageMetrics, 'uploads' | 'processingDuration' | 'objectsDeleted'>;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** The public URL of an object key (CDN_BASE_URL, or this API's /media). */
  publicUrl: (key: string) => string;
  clock?: () => Date;
};

/** Public base of media URLs: the CDN when one is configured, else this API's own /media. */
export const mediaUrlBuilder = (cdnBaseUrl: string | undefined) => {
  const base = cdnBaseUrl ?? '/media';
  return (key: string) => `${base}/${key}`;
};

/** An upload's outcome: the image, and whether it is new (false: the profile already had it). */
export type Uploaded = { image: Image; created: boolean };

const storageUnavailable = () => ERRORS.unavailable('Image storage is unavailable; retry shortly');

export function createImageService(deps: Deps) {
  const { repo, storage, publicUrl, clock = () => new Date() } = deps;

  const view = (i: ImageRecord): Image => ({
    id: i.id,
    url: i.url,
    variants: {
      original: publicUrl(i.original_key),
      medium: publicUrl(i.medium_key),
      thumbnail: publicUrl(i.thumbnail_key),
    },
    content_type: i.content_type,
    width: i.width,
    height: i.height,
    bytes: i.bytes,
    created_at: i.created_at,
  });

  async function requireProfile(profileId: string) {
    const profile = isUuid(profileId) ? await deps.profiles.findById(profileId) : undefined;
    if (!profile) throw ERRORS.notFound('profile');
    return profile;
  }

  /** Images change with their profile: its owner or an admin, checked before anything is read. */
  async function requireChangeable(viewer: Principal, profileId: string) {
    if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
    const profile = await requireProfile(profileId);
    if (!mayChange(viewer, profile.owner)) {
      throw ERRORS.forbidden("Only the profile's owner or an admin may change its images");
    }
    return profile;
  }

  /** Deletes each object no image names any more; idempotent, so a retried run does no harm. */
  async function removeObjects(keys: readonly string[]) {
    let removed = 0;
    for (const key of keys) {
      if (await repo.removeIfUnreferenced(key, () => storage.delete(key))) removed++;
    }
    deps.metrics.objectsDeleted.inc(removed);
    return { removed, kept: keys.length - removed };
  }

  /**
   * After an upload failed with objects possibly written: delete them now, or leave it to a retried
   * task when that fails too (storage or database down). Should even that fail, the upload's
   * write-ahead task deletes them later.
   */
  async function discard(keys: string[]) {
    try {
      await removeObjects(keys);
    } catch (err) {
      try {
        await repo.scheduleCleanup(keys, newId());
        deps.logger.warn({ err, keys }, 'upload failed midway; its objects will be deleted by a task');
      } catch (scheduleErr) {
        deps.logger.error({ err: scheduleErr, keys }, 'upload failed midway; could not delete its objects');
      }
    }
  }

  async function store(profileId: string, processed: ProcessedImage, seal?: Seal<InsertOutcome>) {
    const { objects } = processed;
    const variants = [objects.original, objects.medium, objects.thumbnail];
    let writing = false;
    try {
      return await repo.insert(
        {
          id: newId(),
          profile_id: profileId,
          url: publicUrl(objects.original.key),
          content_type: processed.contentType,
          width: processed.width,
          height: processed.height,
          bytes: processed.bytes,
          original_key: objects.original.key,
          medium_key: objects.medium.key,
          thumbnail_key: objects.thumbnail.key,
        },
        clock(),
        async () => {
          writing = true;
          // Settle every write before judging: a put still running after another failed would
          // otherwise land after the clean-up and leave an orphan.
          const results = await Promise.allSettled(
            variants.map((o) => storage.put(o.key, o.body, o.contentType)),
          );
          const failed = results.find((r) => r.status === 'rejected');
          if (failed) {
            deps.logger.warn({ err: failed.reason }, 'image storage write failed');
            throw storageUnavailable();
          }
        },
        newId(),
        MAX_IMAGES_PER_PROFILE,
        seal,
      );
    } catch (err) {
      if (writing) await discard(variants.map((o) => o.key));
      throw err;
    }
  }

  return {
    /**
     * Validates, cleans and stores an upload. `read` yields the uploaded bytes; it is called only once
     * the profile is known to exist. `created` is false when the profile already had this image.
     */
    async upload(
      viewer: Principal,
      profileId: string,
      read: () => Promise<Buffer>,
      seal?: Seal<Uploaded>,
    ): Promise<Uploaded> {
      try {
        const profile = await requireChangeable(viewer, profileId);
        // Checked again, under a lock, when the image is stored; here it spares reading the body.
        if (profile.image_urls.length >= MAX_IMAGES_PER_PROFILE) {
          throw ERRORS.imageLimitReached(MAX_IMAGES_PER_PROFILE);
        }
        const bytes = await read();
        const started = performance.now();
        const processed = await deps.processor.process(bytes);
        deps.metrics.processingDuration.observe((performance.now() - started) / 1000);
        const outcome = await store(
          profileId,
          processed,
          seal && ((tx, o) => seal(tx, { image: view(o.image), created: o.created })),
        );
        if (outcome.created) await deps.cache.updated(outcome.profile);
        deps.metrics.uploads.inc({ outcome: outcome.created ? 'created' : 'duplicate' });
        return { image: view(outcome.image), created: outcome.created };
      } catch (err) {
        deps.metrics.uploads.inc({ outcome: err instanceof AppError ? err.code : 'error' });
        throw err;
      }
    },

    async list(profileId: string): Promise<Image[]> {
      if (!isUuid(profileId)) throw ERRORS.notFound('profile');
      const images = await repo.listByProfile(profileId);
      if (images.length === 0) await requireProfile(profileId);
      return images.map(view);
    },

    /** Deletes an image; its objects go by a retried task once no other image names them. */
    async remove(viewer: Principal, profileId: string, imageId: string): Promise<void> {
      if (!isUuid(profileId) || !isUuid(imageId)) throw ERRORS.notFound('image');
      await requireChangeable(viewer, profileId);
      const profile = await repo.delete(profileId, imageId, clock(), newId());
      if (!profile) throw ERRORS.notFound('image');
      await deps.cache.updated(profile);
    },

    removeObjects,
  };
}

export type ImageService = ReturnType<typeof createImageService>;
