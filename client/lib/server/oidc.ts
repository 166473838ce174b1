import 'server-only';
import * as oidc from 'openid-client';
import { settings } from './config';
import type { LoginFlow } from './session';
import { type Session, sessionFrom } from './session-data';
import { isLoopback } from './settings';
import { singleFlight } from './single-flight';

export const SCOPE = 'openid email profile offline_access';

let discovered: Promise<oidc.Configuration> | undefined;

/**
 * The provider's metadata, discovered once per process; a failure is not kept, so a provider that
 * starts after this server (as in `npm start`) is found on the next sign-in.
 */
export function provider(): Promise<oidc.Configuration> {
  discovered ??= discover().catch((err: unknown) => {
    discovered = undefined;
    throw err;
  });
  return discovered;
}

async function discover(): Promise<oidc.Configuration> {
  const { issuer, clientId, clientSecret } = settings();
  // Plain http only for a provider on this machine (the development one); anything else needs TLS.
  const insecure = isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {};
  return oidc.discovery(
    new URL(issuer),
    clientId,
    { client_secret: clientSecret },
    oidc.ClientSecretBasic(clientSecret),
    { ...insecure, timeout: 10 },
  );
}

const roles = () => ({ claim: settings().rolesClaim, admin: settings().adminRole });

/** Where to send the browser to sign in, and the flow state its callback must present. */
export async function startLogin(origin: string, returnTo: string): Promise<{ url: URL; flow: LoginFlow }> {
  const config = await provider();
  const flow = {
    verifier: oidc.randomPKCECodeVerifier(),
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    returnTo,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${origin}/auth/callback`,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url, flow };
}

/** The provider's answer at the callback, checked against the flow and exchanged for tokens. */
export async function finishLogin(callbackUrl: URL, flow: LoginFlow): Promise<Session> {
  const tokens = await oidc.authorizationCodeGrant(await provider(), callbackUrl, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  return sessionFrom(tokens, roles());
}

/**
 * A refreshed session handed to a request that came just after is only of use while its access
 * token has some life left: with short-lived tokens (AUTH_DEV_ACCESS_TOKEN_TTL=20s) the kept one
 * would otherwise be handed out expired, and the provider keeps the same refresh token (it rotates
 * only public clients'), so the key alone does not move on.
 */
const KEPT_TOKEN_MIN_LEFT_SEC = 10;
const refreshes = singleFlight<Session>(
  30_000,
  undefined,
  (s) => s.expiresAt - Date.now() / 1000 > KEPT_TOKEN_MIN_LEFT_SEC,
);

/**
 * A session with new tokens. Concurrent requests of one browser all carry the same refresh token:
 * they share one refresh, since a provider that rotates refresh tokens treats a second use of the
 * old one as theft and revokes the whole grant.
 */
export function refreshSession(session: Session): Promise<Session> {
  const token = session.refreshToken;
  if (!token) return Promise.reject(new Error('no refresh token'));
  return refreshes(token, async () =>
    sessionFrom(await oidc.refreshTokenGrant(await provider(), token), roles(), session),
  );
}

/** True when the provider says the grant is over (revoked, expired): signing in again is needed. */
export const grantEnded = (err: unknown) =>
  err instanceof oidc.ResponseBodyError && (err.error === 'invalid_grant' || err.error === 'invalid_client');

/** The provider's end_session_endpoint for this session, or undefined when it has none. */
export async function endSessionUrl(origin: string, idToken: string | undefined): Promise<URL | undefined> {
  const config = await provider();
  if (!config.serverMetadata().end_session_endpoint) return undefined;
  return oidc.buildEndSessionUrl(config, {
    post_logout_redirect_uri: `${origin}/`,
    ...(idToken ? { id_token_hint: idToken } : {}),
  });
}
