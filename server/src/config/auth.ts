import { duration, type Env, httpUrl, int, read } from './env.js';

export type AuthConfig = Readonly<{
  /** The OpenID Provider whose access tokens are accepted; undefined runs the embedded one (dev only). */
  issuer: string | undefined;
  /** What the tokens' `aud` must contain. */
  audience: string;
  /** The key set's URL; undefined reads it from the issuer's discovery document. */
  jwksUrl: string | undefined;
  clockToleranceSec: number;
  /** An unknown `kid` refetches the key set at most once per this; the set is refreshed after maxAge. */
  jwksCooldownMs: number;
  jwksMaxAgeMs: number;
  /** Where the roles are in a token: a claim name or a dotted path (`realm_access.roles`). */
  rolesClaim: string;
  adminRole: string;
  /** The embedded provider (development only): its port, its administrator, its token client's secret. */
  devPort: number;
  devAdminEmail: string;
  devClientSecret: string;
  /** The web client the embedded provider knows: where it runs, and its secret. */
  devWebOrigins: readonly string[];
  devWebClientSecret: string;
  /** How long its access tokens live (short, to see refreshes happen). */
  devAccessTokenTtlSec: number;
}>;

export function authConfig(env: Env): AuthConfig {
  const issuer = read(env, 'AUTH_ISSUER');
  return Object.freeze({
    // An issuer is compared exactly with the tokens' `iss`: kept as given.
    issuer: issuer === undefined ? undefined : httpUrl(env, 'AUTH_ISSUER') && issuer,
    audience: read(env, 'AUTH_AUDIENCE') ?? 'profile-service',
    jwksUrl: httpUrl(env, 'AUTH_JWKS_URL'),
    clockToleranceSec: Math.round(duration(env, 'AUTH_CLOCK_TOLERANCE', '30s', 600_000) / 1000),
    jwksCooldownMs: duration(env, 'AUTH_JWKS_COOLDOWN', '30s', 3_600_000),
    jwksMaxAgeMs: duration(env, 'AUTH_JWKS_MAX_AGE', '10m', 86_400_000),
    rolesClaim: read(env, 'AUTH_ROLES_CLAIM') ?? 'roles',
    adminRole: read(env, 'AUTH_ADMIN_ROLE') ?? 'profile-admin',
    // Not 0: the port is part of the issuer's URL, known before it listens.
    devPort: int(env, 'AUTH_PORT', 8082, 1, 65535),
    devAdminEmail: read(env, 'AUTH_DEV_ADMIN_EMAIL') ?? 'admin@example.com',
    devClientSecret: read(env, 'AUTH_DEV_CLIENT_SECRET') ?? 'development-only',
    devWebOrigins: Object.freeze(
      (read(env, 'AUTH_DEV_WEB_ORIGINS') ?? 'http://localhost:3000,http://127.0.0.1:3000')
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
    devWebClientSecret: read(env, 'AUTH_DEV_WEB_CLIENT_SECRET') ?? 'development-only-web',
    devAccessTokenTtlSec: Math.round(duration(env, 'AUTH_DEV_ACCESS_TOKEN_TTL', '1h', 86_400_000) / 1000),
  });
}
