import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import S3rver from 's3rver';
import { openTestPostgres, REDIS_ADDRESS, servicesUnavailable, suitePrefixes } from '../kit/services.js';
import { imageSuite } from './images.suite.js';

// The S3 driver against a real S3-compatible server (s3rver, started here), with public URLs on a
// CDN whose origin is the API's /media: the whole image suite again, on object storage.
const skip = await servicesUnavailable('postgres', 'redis');
describe('images: S3 storage (s3rver) behind CDN_BASE_URL', { skip }, () => {
  const prefix = suitePrefixes()('img-s3');
  const bucket = 'profile-media';
  let server: S3rver;
  let dir: string;
  let endpoint: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  imageSuite(
    'PostgreSQL + Redis + S3',
    (observe) => openTestPostgres('img_s3', observe),
    () => ({
      REDIS_ADDRESS,
      CACHE_KEY_PREFIX: prefix,
      CACHE_TIMEOUT: '2s',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      CDN_BASE_URL: 'https://cdn.example.test/media',
    }),
  );
});
