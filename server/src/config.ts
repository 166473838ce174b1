import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDuration } from './lib/duration.js';

export type Config = Readonly<{
  env: 'production' | 'development' | 'test';
  host: string;
  serverPort: number;
  workerPort: number;
  /** Primary database; undefined means embedded PGlite under dataDir (dev entry point only). */
  dbUri: string | undefined;
  dbReadUri: string | undefined;
  /** Replica lag beyond which reads go to the primary (as they do while the replica is unreachable). */
  dbReadMaxLagMs: number;
  dbName: string;
  dbPoolMax: number;
  dbStatementTimeoutMs: number;
  dbMigrateOnStart: boolean;
  redis: Readonly<{ address: string; password: string | undefined; db: number }> | undefined;
  queueUri: string | undefined;
  /** Prefix of the broker's exchanges and queues. */
  queueNamespace: string;
  cacheMaxEntries: number;
  cacheTtlCreatedMs: number;
  cacheTtlUpdatedMs: number;
  /** Longest a request waits on the cache before going to the database. */
  cacheTimeoutMs: number;
  /** Namespace of the cache's Redis keys (its `{…}` hash tag keeps them in one cluster slot). */
  cacheKeyPrefix: string;
  storageDriver: 'fs' | 's3';
  /** Where the fs driver keeps objects. */
  mediaDir: string;
  s3: S3Config | undefined;
  /** Public base of media URLs; undefined serves them from this API's own /media. */
  cdnBaseUrl: string | undefined;
  /** Largest accepted upload, enforced while the body streams in. */
  imageMaxBytes: number;
  /** Largest accepted image (width × height × frames), checked from the header before decoding. */
  imageMaxPixels: number;
  /** Images processed at once per process; the rest wait, so a burst cannot exhaust memory. */
  imageConcurrency: number;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  /** How long a queued or running task is owned before it is handed out again. */
  taskLeaseMs: number;
  /** How often the scheduler looks for due tasks. */
  taskPollMs: number;
  /** Tasks one worker runs at once (the consumer's prefetch). */
  workerConcurrency: number;
  /** Time between readiness turning 503 and the listener closing, so load balancers stop routing first. */
  shutdownDelayMs: number;
}>;

export type S3Config = Readonly<{
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, …); undefined means AWS itself. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** Undefined leaves credentials to the SDK's default chain (AWS_* variables, instance roles). */
  credentials: Readonly<{ accessKeyId: string; secretAccessKey: string }> | undefined;
}>;

export class ConfigError extends Error {
  constructor(
    readonly variable: ConfigVariable,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Every environment variable the service reads, declared once: the readers below accept no other
 * name, and the deployment checks compare what manifests set against this list.
 */
export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'SERVER_PORT',
  'WORKER_PORT',
  'DB_URI',
  'DATABASE_URL',
  'DB_READ_URI',
  'DB_READ_MAX_LAG',
  'DB_NAME',
  'DB_POOL_MAX',
  'DB_STATEMENT_TIMEOUT',
  'DB_MIGRATE_ON_START',
  'REDIS_ADDRESS',
  'REDIS_PASSWORD',
  'REDIS_DB',
  'QUEUE_URI',
  'QUEUE_NAMESPACE',
  'CACHE_MAX_ENTRIES',
  'CACHE_TTL_CREATED',
  'CACHE_TTL_UPDATED',
  'CACHE_TIMEOUT',
  'CACHE_KEY_PREFIX',
  'STORAGE_DRIVER',
  'MEDIA_DIR',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'CDN_BASE_URL',
  'IMAGE_MAX_BYTES',
  'IMAGE_MAX_PIXELS',
  'IMAGE_CONCURRENCY',
  'DATA_DIR',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'SHUTDOWN_GRACE',
  'SHUTDOWN_DELAY',
  'TASK_LEASE',
  'TASK_POLL_INTERVAL',
  'WORKER_CONCURRENCY',
] as const;

export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

type Env = Record<string, string | undefined>;

function read(env: Env, name: ConfigVariable): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, name: ConfigVariable, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function duration(env: Env, name: ConfigVariable, fallback: string, maxMs = 30 * 86_400_000): number {
  const raw = read(env, name) ?? fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms > maxMs) {
    throw new ConfigError(name, `expected a duration such as 500ms, 10s, 5m or 24h, got "${raw}"`);
  }
  return ms;
}

function bool(env: Env, name: ConfigVariable, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: ConfigVariable, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function postgresUrl(env: Env, name: ConfigVariable, dbName: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `expected a postgres:// URL, got protocol "${url.protocol}"`);
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${dbName}`;
  return url.toString();
}

function httpUrl(env: Env, name: ConfigVariable): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function s3(env: Env, driver: 'fs' | 's3'): S3Config | undefined {
  if (driver !== 's3') return undefined;
  const bucket = read(env, 'S3_BUCKET');
  if (bucket === undefined) throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  const accessKeyId = read(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = read(env, 'S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    throw new ConfigError(
      missing,
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
    );
  }
  const endpoint = httpUrl(env, 'S3_ENDPOINT');
  return Object.freeze({
    bucket,
    region: read(env, 'S3_REGION') ?? 'us-east-1',
    endpoint,
    // S3-compatible servers rarely resolve bucket subdomains; AWS itself prefers them.
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
    credentials: accessKeyId && secretAccessKey ? Object.freeze({ accessKeyId, secretAccessKey }) : undefined,
  });
}

function redis(env: Env): Config['redis'] {
  const address = read(env, 'REDIS_ADDRESS');
  if (address === undefined) return undefined;
  if (!/^[^\s:]+:\d{1,5}$/.test(address))
    throw new ConfigError('REDIS_ADDRESS', `expected host:port, got "${address}"`);
  return Object.freeze({
    address,
    password: read(env, 'REDIS_PASSWORD'),
    db: int(env, 'REDIS_DB', 0, 0, 15),
  });
}

function queueUri(env: Env): string | undefined {
  const raw = read(env, 'QUEUE_URI');
  if (raw === undefined) return undefined;
  if (!/^amqps?:\/\//.test(raw)) throw new ConfigError('QUEUE_URI', 'expected an amqp:// or amqps:// URL');
  return raw;
}

/** Reads, validates and freezes the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const dbName = read(env, 'DB_NAME') ?? 'profiles';
  if (!/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(dbName))
    throw new ConfigError('DB_NAME', `invalid name "${dbName}"`);
  const dbUri = postgresUrl(env, 'DB_URI', dbName) ?? postgresUrl(env, 'DATABASE_URL', dbName);
  const nodeEnv = oneOf(env, 'NODE_ENV', ['production', 'development', 'test'], 'production');
  const storageDriver = oneOf(env, 'STORAGE_DRIVER', ['fs', 's3'] as const, 'fs');
  const dataDir = resolve(read(env, 'DATA_DIR') ?? './data');
  return Object.freeze({
    env: nodeEnv,
    host: read(env, 'HOST') ?? '0.0.0.0',
    serverPort: int(env, 'SERVER_PORT', 8080, 0, 65535),
    workerPort: int(env, 'WORKER_PORT', 8081, 0, 65535),
    dbUri,
    dbReadUri: postgresUrl(env, 'DB_READ_URI', dbName),
    dbReadMaxLagMs: duration(env, 'DB_READ_MAX_LAG', '5s', 3_600_000),
    dbName,
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    dbStatementTimeoutMs: duration(env, 'DB_STATEMENT_TIMEOUT', '5s'),
    dbMigrateOnStart: bool(env, 'DB_MIGRATE_ON_START', true),
    redis: redis(env),
    queueUri: queueUri(env),
    queueNamespace: read(env, 'QUEUE_NAMESPACE') ?? 'profiles',
    cacheMaxEntries: int(env, 'CACHE_MAX_ENTRIES', 10, 1, 10_000_000),
    cacheTtlCreatedMs: duration(env, 'CACHE_TTL_CREATED', '24h'),
    cacheTtlUpdatedMs: duration(env, 'CACHE_TTL_UPDATED', '1h'),
    cacheTimeoutMs: duration(env, 'CACHE_TIMEOUT', '50ms', 10_000),
    cacheKeyPrefix: read(env, 'CACHE_KEY_PREFIX') ?? 'profile-cache:{v1}:',
    storageDriver,
    mediaDir: resolve(read(env, 'MEDIA_DIR') ?? join(dataDir, 'media')),
    s3: s3(env, storageDriver),
    cdnBaseUrl: httpUrl(env, 'CDN_BASE_URL'),
    imageMaxBytes: int(env, 'IMAGE_MAX_BYTES', 10 * 1_048_576, 1024, 1024 * 1_048_576),
    imageMaxPixels: int(env, 'IMAGE_MAX_PIXELS', 40_000_000, 1, 1_000_000_000),
    imageConcurrency: int(env, 'IMAGE_CONCURRENCY', Math.max(1, availableParallelism()), 1, 256),
    dataDir,
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    shutdownGraceMs: duration(env, 'SHUTDOWN_GRACE', '10s'),
    taskLeaseMs: duration(env, 'TASK_LEASE', '30s'),
    taskPollMs: duration(env, 'TASK_POLL_INTERVAL', '200ms', 60_000),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 16, 1, 1000),
    shutdownDelayMs: duration(env, 'SHUTDOWN_DELAY', '0ms'),
  });
}
