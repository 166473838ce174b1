import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../config.js';
import { IMMUTABLE_CACHE_CONTROL, type ObjectStorage } from './storage.js';

const statusOf = (err: unknown) =>
  err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;

/** Objects in an S3 bucket (AWS, MinIO, R2, …). Puts are atomic in S3 itself. */
export function createS3Storage(config: S3Config): ObjectStorage {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    // A copy: the SDK annotates the credentials object it is given, and config is frozen.
    ...(config.credentials ? { credentials: { ...config.credentials } } : {}),
    // Checksums only where S3 requires them: several S3-compatible servers reject the newer headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    // Uploads write while holding a database transaction, and the object deleter holds a lock:
    // a stalled store must fail them in bounded time, never hang them.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
  });
  const Bucket = config.bucket;

  return {
    driver: 's3',

    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      );
    },

    async delete(key) {
      // S3 answers 204 for a key that is already gone.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
      }
    },

    async get(key, opts = {}) {
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: key,
            ...(opts.range ? { Range: opts.range } : {}),
            ...(opts.ifNoneMatch ? { IfNoneMatch: opts.ifNoneMatch } : {}),
          }),
        );
        return {
          status: out.ContentRange ? 206 : 200,
          body: out.Body as Readable,
          contentType: out.ContentType,
          contentLength: out.ContentLength,
          contentRange: out.ContentRange,
          etag: out.ETag,
          lastModified: out.LastModified,
        };
      } catch (err) {
        const status = statusOf(err);
        if (status === 404) return undefined;
        if (status === 304) {
          return {
            status: 304,
            body: undefined,
            contentType: undefined,
            contentLength: undefined,
            contentRange: undefined,
            etag: opts.ifNoneMatch,
            lastModified: undefined,
          };
        }
        throw err;
      }
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },

    async close() {
      client.destroy();
    },
  };
}
