// Environment variables: the list of every one the service reads, and the readers that turn one
// into a value or a ConfigError naming it.
import { parseDuration } from '../lib/duration.js';

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
  'SEARCH_CONCURRENCY',
  'SEARCH_TIMEOUT',
  'REDIS_ADDRESS',
  'REDIS_PASSWORD',
  'REDIS_DB',
  'REDIS_CLUSTER',
  'QUEUE_URI',
  'QUEUE_NAMESPACE',
  'CACHE_MAX_ENTRIES',
  'CACHE_NEAR_MAX_ENTRIES',
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
  'SHUTDOWN_LINGER',
  'TASK_LEASE',
  'TASK_POLL_INTERVAL',
  'WORKER_CONCURRENCY',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'AUTH_CLOCK_TOLERANCE',
  'AUTH_JWKS_COOLDOWN',
  'AUTH_JWKS_MAX_AGE',
  'AUTH_ROLES_CLAIM',
  'AUTH_ADMIN_ROLE',
  'AUTH_PORT',
  'AUTH_DEV_ADMIN_EMAIL',
  'AUTH_DEV_CLIENT_SECRET',
  'AUTH_DEV_WEB_ORIGINS',
  'AUTH_DEV_ACCESS_TOKEN_TTL',
  'AUTH_DEV_WEB_CLIENT_SECRET',
  'EXPORT_TTL',
  'TASK_RETENTION',
  'IDEMPOTENCY_TTL',
  'IDEMPOTENCY_LEASE',
  'RATE_LIMIT_ENABLED',
  'RATE_LIMIT_READ',
  'RATE_LIMIT_WRITE',
  'RATE_LIMIT_UPLOAD',
  'RATE_LIMIT_TASK',
  'TRUST_PROXY',
  'CORS_ORIGINS',
  'METRICS_TOKEN',
  'EVENTS_RETENTION',
  'SSE_MAX_STREAMS',
  'SSE_MAX_PER_CALLER',
  'SSE_HEARTBEAT',
  'SSE_REPLAY_MAX',
] as const;

export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

export type Env = Record<string, string | undefined>;

export function read(env: Env, name: ConfigVariable): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function int(env: Env, name: ConfigVariable, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function duration(env: Env, name: ConfigVariable, fallback: string, maxMs = 30 * 86_400_000): number {
  const raw = read(env, name) ?? fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms > maxMs) {
    throw new ConfigError(name, `expected a duration such as 500ms, 10s, 5m or 24h, got "${raw}"`);
  }
  return ms;
}

export function bool(env: Env, name: ConfigVariable, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

export function oneOf<T extends string>(
  env: Env,
  name: ConfigVariable,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function postgresUrl(env: Env, name: ConfigVariable, dbName: string): string | undefined {
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

export function httpUrl(env: Env, name: ConfigVariable): string | undefined {
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
