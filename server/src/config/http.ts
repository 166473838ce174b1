import { bool, ConfigError, duration, type Env, read } from './env.js';

/** A budget: at most `max` requests per `windowMs`, per caller (subject, or client IP when anonymous). */
export type RateBudget = Readonly<{ max: number; windowMs: number }>;

export type RateClass = 'read' | 'write' | 'upload' | 'task';

export type HttpConfig = Readonly<{
  rateLimits: Readonly<Record<RateClass, RateBudget>> | undefined;
  /** Fastify's trustProxy: whose X-Forwarded-For names the client. */
  trustProxy: boolean | number | string[];
  corsOrigins: readonly string[];
  /** When set, /metrics answers only `Authorization: Bearer <it>`. */
  metricsToken: string | undefined;
}>;

function budget(
  env: Env,
  name: 'RATE_LIMIT_READ' | 'RATE_LIMIT_WRITE' | 'RATE_LIMIT_UPLOAD' | 'RATE_LIMIT_TASK',
  fallback: string,
): RateBudget {
  const raw = read(env, name) ?? fallback;
  const m = /^(\d{1,7})\s*\/\s*(\S+)$/.exec(raw);
  const windowMs = m ? duration({ [name]: m[2] }, name, m[2] ?? '', 86_400_000) : undefined;
  if (!m || !windowMs || Number(m[1]) < 1) {
    throw new ConfigError(name, `expected requests per duration such as 600/1m, got "${raw}"`);
  }
  return Object.freeze({ max: Number(m[1]), windowMs });
}

function trustProxy(env: Env): HttpConfig['trustProxy'] {
  const raw = read(env, 'TRUST_PROXY');
  if (raw === undefined || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  // A hop count, or the addresses (CIDR) of the proxies in front.
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(
      'TRUST_PROXY',
      `expected true, false, a hop count or proxy addresses, got "${raw}"`,
    );
  }
  return list;
}

function origins(env: Env): string[] {
  const raw = read(env, 'CORS_ORIGINS');
  if (raw === undefined) return [];
  const list = raw
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const o of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      throw new ConfigError('CORS_ORIGINS', `"${o}" is not an origin (scheme://host[:port])`);
  }
  return list;
}

export function httpConfig(env: Env): HttpConfig {
  const enabled = bool(env, 'RATE_LIMIT_ENABLED', true);
  const limits = {
    read: budget(env, 'RATE_LIMIT_READ', '600/1m'),
    write: budget(env, 'RATE_LIMIT_WRITE', '120/1m'),
    upload: budget(env, 'RATE_LIMIT_UPLOAD', '30/1m'),
    task: budget(env, 'RATE_LIMIT_TASK', '60/1m'),
  };
  return Object.freeze({
    rateLimits: enabled ? Object.freeze(limits) : undefined,
    trustProxy: trustProxy(env),
    corsOrigins: Object.freeze(origins(env)),
    metricsToken: read(env, 'METRICS_TOKEN'),
  });
}
