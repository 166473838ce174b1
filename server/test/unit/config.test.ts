import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config.js';
import { parseDuration } from '../../src/lib/duration.js';

describe('parseDuration', () => {
  it('reads ms, s, m, h and d, and bare milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('24h'), 86_400_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250'), 250);
  });
  it('allows spaces around and between the number and its unit, and rounds to whole milliseconds', () => {
    const cases: [string, number][] = [
      [' 10 s ', 10_000],
      ['0', 0],
      ['0s', 0],
      ['1.4ms', 1],
      ['0.0015s', 2],
    ];
    for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, JSON.stringify(text));
  });
  it('rejects anything else', () => {
    for (const bad of ['', 'ten', '10 years', '-5s', '1e3s', '5 m s', '10S', '1.s', '.5s', '10sec'])
      assert.equal(parseDuration(bad), undefined, bad);
  });
});

describe('loadConfig', () => {
  it('reads exactly the variables it declares', () => {
    const read = new Set<string>();
    const env = new Proxy<Record<string, string | undefined>>(
      { STORAGE_DRIVER: 's3', S3_BUCKET: 'b', REDIS_ADDRESS: '127.0.0.1:6379' },
      {
        get(target, key) {
          if (typeof key === 'string') read.add(key);
          return target[key as string];
        },
      },
    );
    loadConfig(env);
    assert.deepEqual([...read].sort(), [...CONFIG_VARIABLES].sort());
  });

  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.serverPort, 8080);
    assert.equal(c.workerPort, 8081);
    assert.equal(c.dbUri, undefined);
    assert.equal(c.dbName, 'profiles');
    assert.equal(c.cacheMaxEntries, 10);
    assert.equal(c.cacheTtlCreatedMs, 86_400_000);
    assert.equal(c.cacheTtlUpdatedMs, 3_600_000);
    assert.equal(c.shutdownGraceMs, 10_000);
    assert.equal(c.dbMigrateOnStart, true);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.storageDriver, 'fs');
    assert.equal(c.bodyLimitBytes, 1_048_576);
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.mediaDir, `${c.dataDir}/media`);
    assert.equal(c.s3, undefined);
    assert.equal(c.cdnBaseUrl, undefined);
    assert.equal(c.imageMaxBytes, 10 * 1_048_576);
    assert.equal(c.imageMaxPixels, 40_000_000);
    assert.ok(c.imageConcurrency >= 1);
  });

  it('reads the S3 settings only for STORAGE_DRIVER=s3, and names what is missing', () => {
    const s3 = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      CDN_BASE_URL: 'https://cdn.example.com/media/',
    }).s3;
    assert.deepEqual(s3, {
      bucket: 'media',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    assert.equal(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b' }).s3?.forcePathStyle, false);
    assert.equal(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b' }).s3?.credentials, undefined);
    assert.equal(loadConfig({ S3_BUCKET: 'ignored' }).s3, undefined);
    const fails = (env: Record<string, string>, variable: string) =>
      assert.throws(
        () => loadConfig(env),
        (e) => e instanceof ConfigError && e.variable === variable,
      );
    fails({ STORAGE_DRIVER: 's3' }, 'S3_BUCKET');
    fails({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' }, 'S3_SECRET_ACCESS_KEY');
    fails({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'ftp://x' }, 'S3_ENDPOINT');
    fails({ STORAGE_DRIVER: 'gcs' }, 'STORAGE_DRIVER');
    fails({ CDN_BASE_URL: 'cdn.example.com' }, 'CDN_BASE_URL');
    fails({ IMAGE_MAX_BYTES: '10MB' }, 'IMAGE_MAX_BYTES');
    fails({ IMAGE_MAX_PIXELS: '0' }, 'IMAGE_MAX_PIXELS');
    fails({ IMAGE_CONCURRENCY: '0' }, 'IMAGE_CONCURRENCY');
  });

  it('is frozen', () => {
    const c = loadConfig({});
    assert.ok(Object.isFrozen(c));
    assert.throws(() => {
      (c as { serverPort: number }).serverPort = 1;
    }, TypeError);
  });

  it('adds DB_NAME to a URI without a database, and accepts DATABASE_URL as an alias', () => {
    assert.equal(
      loadConfig({ DB_URI: 'postgres://u@h:5432', DB_NAME: 'things' }).dbUri,
      'postgres://u@h:5432/things',
    );
    assert.equal(loadConfig({ DB_URI: 'postgres://u@h:5432/' }).dbUri, 'postgres://u@h:5432/profiles');
    assert.equal(loadConfig({ DB_URI: 'postgres://u@h/x' }).dbUri, 'postgres://u@h/x');
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@h/y' }).dbUri, 'postgresql://u@h/y');
    assert.equal(
      loadConfig({ DB_URI: 'postgres://u@h/x', DB_READ_URI: 'postgres://u@r/x' }).dbReadUri,
      'postgres://u@r/x',
    );
  });

  it('reads durations, booleans and Redis settings', () => {
    const c = loadConfig({
      SHUTDOWN_GRACE: '3s',
      CACHE_TTL_UPDATED: '90m',
      DB_MIGRATE_ON_START: 'false',
      REDIS_ADDRESS: '127.0.0.1:6379',
      REDIS_DB: '2',
    });
    assert.equal(c.shutdownGraceMs, 3000);
    assert.equal(c.cacheTtlUpdatedMs, 5_400_000);
    assert.equal(c.dbMigrateOnStart, false);
    assert.deepEqual(c.redis, { address: '127.0.0.1:6379', password: undefined, db: 2, cluster: false });
  });

  it('reads a Redis Cluster as its seed nodes, separated by commas', () => {
    const c = loadConfig({ REDIS_ADDRESS: '10.0.0.1:7000, 10.0.0.2:7000', REDIS_CLUSTER: 'true' });
    assert.deepEqual(c.redis, {
      address: '10.0.0.1:7000,10.0.0.2:7000',
      password: undefined,
      db: 0,
      cluster: true,
    });
    assert.throws(() => loadConfig({ REDIS_ADDRESS: '10.0.0.1:7000,10.0.0.2:7000' }), /REDIS_ADDRESS/);
  });

  const bad: [string, Record<string, string>][] = [
    ['SERVER_PORT', { SERVER_PORT: 'eighty' }],
    ['SERVER_PORT', { SERVER_PORT: '70000' }],
    ['WORKER_PORT', { WORKER_PORT: '-1' }],
    ['DB_URI', { DB_URI: 'mysql://x@y/z' }],
    ['DB_URI', { DB_URI: 'not a url' }],
    ['DB_READ_URI', { DB_READ_URI: 'http://x' }],
    ['DB_POOL_MAX', { DB_POOL_MAX: '0' }],
    ['DB_MIGRATE_ON_START', { DB_MIGRATE_ON_START: 'maybe' }],
    ['SHUTDOWN_GRACE', { SHUTDOWN_GRACE: '10 parsecs' }],
    ['CACHE_TTL_CREATED', { CACHE_TTL_CREATED: 'forever' }],
    ['CACHE_MAX_ENTRIES', { CACHE_MAX_ENTRIES: '1.5' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REDIS_ADDRESS', { REDIS_ADDRESS: 'redis://localhost' }],
    ['REDIS_ADDRESS', { REDIS_ADDRESS: 'a:1,b', REDIS_CLUSTER: 'true' }],
    ['REDIS_CLUSTER', { REDIS_ADDRESS: 'a:1', REDIS_CLUSTER: 'sometimes' }],
    ['REDIS_DB', { REDIS_ADDRESS: 'a:1', REDIS_CLUSTER: 'true', REDIS_DB: '1' }],
    ['CACHE_KEY_PREFIX', { REDIS_ADDRESS: 'a:1', REDIS_CLUSTER: 'true', CACHE_KEY_PREFIX: 'no-tag:' }],
    ['QUEUE_URI', { QUEUE_URI: 'http://rabbit' }],
    ['STORAGE_DRIVER', { STORAGE_DRIVER: 'ftp' }],
    ['CDN_BASE_URL', { CDN_BASE_URL: 'cdn.example.com' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
  ];
  for (const [variable, env] of bad) {
    it(`names ${variable} when its value is bad (${JSON.stringify(env)})`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) =>
          err instanceof ConfigError && err.variable === variable && err.message.startsWith(variable),
      );
    });
  }
});
