import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { type AuthConfig, authConfig } from './config/auth.js';
import {
  bool,
  ConfigError,
  duration,
  type Env,
  httpUrl,
  int,
  oneOf,
  postgresUrl,
  read,
} from './config/env.js';
import { type EventsConfig, eventsConfig } from './config/events.js';
import { type HttpConfig, httpConfig } from './config/http.js';
import { type SearchConfig, searchConfig } from './config/search.js';

export type { AuthConfig } from './config/auth.js';
export { CONFIG_VARIABLES, ConfigError, type ConfigVariable } from './config/env.js';
export type { EventsConfig } from './config/events.js';
export type { HttpConfig, RateBudget, RateClass } from './config/http.js';
export type { SearchConfig } from './config/search.js';

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
  /** `address`: host:port, or in cluster mode the seed nodes, host:port separated by commas. */
  redis:
    | Readonly<{ address: string; password: string | undefined; db: number; cluster: boolean }>
    | undefined;
  queueUri: string | undefined;
  /** Prefix of the broker's exchanges and queues. */
  queueNamespace: string;
  cacheMaxEntries: number;
  /** Entries each process keeps in memory in front of Redis (0: none). */
  cacheNearMaxEntries: number;
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
  /**
   * After the listener closes, how long keep-alive connections may still bring one more request
   * (answered with Connection: close) before those still idle are closed.
   */
  shutdownLingerMs: number;
  auth: AuthConfig;
  http: HttpConfig;
  events: EventsConfig;
  search: SearchConfig;
  /** Exports hold personal data: deleted this long after they were made. */
  exportTtlMs: number;
  /** Finished tasks are deleted this long after they finished. */
  taskRetentionMs: number;
  /** An Idempotency-Key and its stored answer are kept this long after its first use. */
  idempotencyTtlMs: number;
  /** How long a request holds its key before a retry may take it over (its holder died). */
  idempotencyLeaseMs: number;
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

function redis(env: Env, cacheKeyPrefix: string): Config['redis'] {
  const address = read(env, 'REDIS_ADDRESS');
  if (address === undefined) return undefined;
  const cluster = bool(env, 'REDIS_CLUSTER', false);
  const nodes = cluster ? address.split(',').map((a) => a.trim()) : [address];
  const bad = nodes.find((a) => !/^[^\s:,]+:\d{1,5}$/.test(a));
  if (bad !== undefined)
    throw new ConfigError(
      'REDIS_ADDRESS',
      `expected host:port${cluster ? '[,host:port…]' : ''}, got "${address}"`,
    );
  const db = int(env, 'REDIS_DB', 0, 0, 15);
  if (cluster && db !== 0) throw new ConfigError('REDIS_DB', 'a Redis Cluster has database 0 only');
  // The FIFO scripts touch keys they build from the prefix: on a cluster they must all share a slot.
  if (cluster && !/\{[^{}]+\}/.test(cacheKeyPrefix))
    throw new ConfigError('CACHE_KEY_PREFIX', 'with REDIS_CLUSTER it must hold a {…} hash tag');
  return Object.freeze({ address: nodes.join(','), password: read(env, 'REDIS_PASSWORD'), db, cluster });
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
  // v2: entries hold both representations of a profile (public and with the email).
  const cacheKeyPrefix = read(env, 'CACHE_KEY_PREFIX') ?? 'profile-cache:{v2}:';
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
    redis: redis(env, cacheKeyPrefix),
    queueUri: queueUri(env),
    queueNamespace: read(env, 'QUEUE_NAMESPACE') ?? 'profiles',
    cacheMaxEntries: int(env, 'CACHE_MAX_ENTRIES', 10, 1, 10_000_000),
    cacheNearMaxEntries: int(env, 'CACHE_NEAR_MAX_ENTRIES', 10_000, 0, 10_000_000),
    cacheTtlCreatedMs: duration(env, 'CACHE_TTL_CREATED', '24h'),
    cacheTtlUpdatedMs: duration(env, 'CACHE_TTL_UPDATED', '1h'),
    cacheTimeoutMs: duration(env, 'CACHE_TIMEOUT', '50ms', 10_000),
    cacheKeyPrefix,
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
    shutdownLingerMs: duration(env, 'SHUTDOWN_LINGER', '2s'),
    auth: authConfig(env),
    http: httpConfig(env),
    events: eventsConfig(env),
    search: searchConfig(env),
    exportTtlMs: duration(env, 'EXPORT_TTL', '7d', 366 * 86_400_000),
    taskRetentionMs: duration(env, 'TASK_RETENTION', '30d', 3660 * 86_400_000),
    idempotencyTtlMs: duration(env, 'IDEMPOTENCY_TTL', '24h', 30 * 86_400_000),
    idempotencyLeaseMs: duration(env, 'IDEMPOTENCY_LEASE', '30s', 3_600_000),
  });
}
