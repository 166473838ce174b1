import { errors, type JWTPayload, jwtVerify } from 'jose';
import { AuthUnavailableError, createKeyStore, type KeyStore } from './key-store.js';
import type { User } from './principal.js';

/** Asymmetric signatures only: never `none`, never an HMAC keyed with a public key. */
export const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export type VerifierOptions = {
  issuer: string;
  audience: string;
  /** The key set's URL; without it, the issuer's discovery document names it. */
  jwksUrl?: string | undefined;
  clockToleranceSec: number;
  /** Where the roles are in the token, a dotted path such as `realm_access.roles`. */
  rolesClaim: string;
  adminRole: string;
  keys?: Pick<KeyStoreOptions, 'maxAgeMs' | 'cooldownMs' | 'timeoutMs'>;
  /** Verified tokens kept (see createVerifiedCache); `ttlMs: 0` verifies every time. */
  cache?: { ttlMs?: number; max?: number };
  fetch?: typeof fetch;
};
type KeyStoreOptions = Parameters<typeof createKeyStore>[0];

/** The value at a dotted path of the claims (`realm_access.roles`), as a list of strings. */
export function rolesAt(payload: JWTPayload, path: string): string[] {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
}

/** The issuer's discovery document names its key set; fetched once, and again after a failure. */
function discoveredJwksUrl(issuer: string, fetchImpl: typeof fetch, timeoutMs: number) {
  let found: Promise<string> | undefined;
  return () => {
    found ??= (async () => {
      const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (doc.issuer !== issuer) throw new Error(`discovery names issuer ${String(doc.issuer)}`);
      if (typeof doc.jwks_uri !== 'string') throw new Error('discovery names no jwks_uri');
      return doc.jwks_uri;
    })().catch((err) => {
      found = undefined;
      throw err;
    });
    return found;
  };
}

/**
 * Verifies bearer access tokens from one OpenID Provider: signature against its published keys,
 * `iss`, `aud`, `exp`/`nbf` within the clock tolerance, an algorithm allowlist. A token that fails
 * any of it is an InvalidTokenError; keys that cannot be had at all, AuthUnavailableError.
 */
export function createTokenVerifier(opts: VerifierOptions, keyStore?: KeyStore) {
  const verified = createVerifiedCache(opts.cache ?? {});
  const fetchImpl = opts.fetch ?? fetch;
  const timeoutMs = opts.keys?.timeoutMs ?? 5_000;
  const store =
    keyStore ??
    createKeyStore({
      jwksUrl: opts.jwksUrl
        ? async () => opts.jwksUrl as string
        : discoveredJwksUrl(opts.issuer, fetchImpl, timeoutMs),
      maxAgeMs: opts.keys?.maxAgeMs ?? 10 * 60_000,
      cooldownMs: opts.keys?.cooldownMs ?? 30_000,
      timeoutMs,
      fetch: fetchImpl,
    });
  return {
    async verify(token: string): Promise<User> {
      store.refreshIfOld();
      const known = verified.get(token, store.generation);
      if (known) return known;
      const user = await check(token);
      verified.set(token, user.exp, user.principal, store.generation);
      return user.principal;
    },
  };

  async function check(token: string): Promise<{ principal: User; exp: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, store.getKey, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ALGORITHMS,
        clockTolerance: opts.clockToleranceSec,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof AuthUnavailableError) throw err;
      if (err instanceof errors.JOSEError) throw new InvalidTokenError(err.code);
      throw new InvalidTokenError('malformed token');
    }
    const sub = payload.sub as string;
    const principal: User = {
      kind: 'user',
      sub,
      admin: rolesAt(payload, opts.rolesClaim).includes(opts.adminRole),
      exp: (payload.exp as number) * 1000,
    };
    return { principal, exp: (payload.exp as number) * 1000 };
  }
}

/**
 * Tokens already verified, so a caller's every request does not pay for a signature check: kept
 * until the token expires or `ttlMs` passes, whichever is first, and only while the issuer's keys are
 * the ones they were verified with (a withdrawn key takes its tokens with it). Bounded: the oldest
 * entry goes first.
 */
function createVerifiedCache({ ttlMs = 60_000, max = 10_000 }: { ttlMs?: number; max?: number }) {
  const entries = new Map<string, { user: User; until: number; generation: number }>();
  return {
    get(token: string, generation: number): User | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.until <= Date.now() || entry.generation !== generation) {
        entries.delete(token);
        return undefined;
      }
      return entry.user;
    },
    set(token: string, exp: number, user: User, generation: number) {
      if (ttlMs <= 0) return;
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(token, { user, until: Math.min(exp, Date.now() + ttlMs), generation });
    },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
