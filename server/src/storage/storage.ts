import type { Readable } from 'node:stream';

/** How media objects are cached by browsers and CDNs: their keys are content hashes, so never stale. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** A stored object's bytes as served, with what conditional and range requests need. */
export type StoredObject = {
  status: 200 | 206 | 304;
  body: Readable | undefined;
  contentType: string | undefined;
  contentLength: number | undefined;
  contentRange: string | undefined;
  etag: string | undefined;
  lastModified: Date | undefined;
};

/**
 * Where image bytes live. Keys are content-addressed (the hash of the bytes), so a put of an existing
 * key writes the same bytes and every operation is idempotent.
 */
export interface ObjectStorage {
  readonly driver: 'fs' | 's3';
  /** Stores the bytes under key; readers never see a partly written object. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Removes the object; removing one that does not exist succeeds. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Reads an object, honouring Range and If-None-Match; undefined when there is no such key. */
  get(key: string, opts?: { range?: string; ifNoneMatch?: string }): Promise<StoredObject | undefined>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Object keys as this service makes them: a shard directory, the sha256 of the bytes, an extension. */
export const OBJECT_KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}\.(?:jpg|png|webp|gif|avif)$/;

export function isObjectKey(key: string): boolean {
  return OBJECT_KEY.test(key);
}
