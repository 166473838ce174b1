import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';

export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
}

export type KeyStoreOptions = {
  /** Where the key set comes from: AUTH_JWKS_URL, or the issuer's discovery document. */
  jwksUrl: () => Promise<string>;
  /** Keys older than this are refreshed in the background; requests keep using them meanwhile. */
  maxAgeMs: number;
  /** An unknown `kid` fetches the key set again at most once per this period. */
  cooldownMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
};

/**
 * The issuer's signing keys, cached. Rotation needs no restart: an unknown `kid` refetches the key
 * set (at most once per cooldown), and the set is refreshed in the background once it is older than
 * maxAge, so a key the issuer withdrew stops verifying within that time. An unreachable issuer never
 * blocks verification with keys already held; only with none held is it an error (auth unavailable).
 */
export function createKeyStore(opts: KeyStoreOptions) {
  const now = opts.now ?? Date.now;
  const fetchImpl = opts.fetch ?? fetch;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  // Bumped whenever the set of key ids changes: what was verified with an older set is checked again.
  let generation = 0;
  let kids = '';

  async function load(): Promise<void> {
    attemptedAt = now();
    const url = await opts.jwksUrl();
    const res = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (!res.ok) throw new Error(`the issuer's key set answered ${res.status}`);
    const jwks = (await res.json()) as JSONWebKeySet;
    if (!Array.isArray(jwks?.keys)) throw new Error("the issuer's key set is not a JWK Set");
    local = createLocalJWKSet(jwks);
    fetchedAt = now();
    const ids = jwks.keys
      .map((k) => `${k.kid ?? ''}:${k.x ?? k.n ?? ''}`)
      .sort()
      .join(',');
    if (ids !== kids) generation++;
    kids = ids;
  }

  /** One fetch at a time, whoever asks. */
  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  const refreshIfOld = () => {
    if (local && now() - fetchedAt > opts.maxAgeMs && !inFlight) refresh().catch(() => {});
  };

  return {
    /** Starts a background refresh of keys older than maxAge (answers from a cache call it too). */
    refreshIfOld,
    /** Changes when the issuer's published keys change. */
    get generation() {
      return generation;
    },
    /** The key for a token's header, as jose's jwtVerify takes it. */
    async getKey(header: JWTHeaderParameters, token: { payload: unknown; signature: unknown }) {
      if (!local) {
        await refresh().catch((err: Error) => {
          throw new AuthUnavailableError(`no signing keys: ${err.message}`);
        });
      } else {
        refreshIfOld();
      }
      const keys = local as NonNullable<typeof local>;
      try {
        return await keys(header, token as never);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey) || now() - attemptedAt < opts.cooldownMs) throw err;
      }
      // An unknown kid may be a key the issuer just rotated in.
      await refresh().catch((err: Error) => {
        throw new AuthUnavailableError(`the issuer's keys cannot be refreshed: ${err.message}`);
      });
      return (local as NonNullable<typeof local>)(header, token as never);
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
