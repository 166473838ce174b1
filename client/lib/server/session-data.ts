// A signed-in person's session as the server keeps it (tokens included), made from the provider's
// token responses. Pure: no cookies, no network.
import { decodeJwt, type JWTPayload } from 'jose';
import type { User } from '@/lib/user';

export type Session = User & {
  accessToken: string;
  /** When the access token expires (seconds since the epoch). */
  expiresAt: number;
  refreshToken?: string | undefined;
  /** The hint the provider's end_session_endpoint wants on sign-out. */
  idToken?: string | undefined;
};

/** What a token endpoint answers, as openid-client gives it. */
export type TokenAnswer = {
  access_token: string;
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  id_token?: string | undefined;
  claims(): JWTPayload | undefined;
};

/** The strings at a dotted path of the claims (`realm_access.roles`), as the API reads its roles. */
export function rolesAt(claims: JWTPayload, path: string): string[] {
  let at: unknown = claims;
  for (const key of path.split('.')) at = at && typeof at === 'object' ? (at as never)[key] : undefined;
  if (typeof at === 'string') return at.split(' ');
  return Array.isArray(at) ? at.filter((r): r is string => typeof r === 'string') : [];
}

// The badge only: the API decides from the same token what the person may do.
function isAdmin(accessToken: string, roles: { claim: string; admin: string }): boolean {
  try {
    return rolesAt(decodeJwt(accessToken), roles.claim).includes(roles.admin);
  } catch {
    return false;
  }
}

/**
 * The session a token response makes: on a refresh, what the answer leaves out (refresh token,
 * ID token, claims) stays as it was.
 */
export function sessionFrom(
  answer: TokenAnswer,
  roles: { claim: string; admin: string },
  previous?: Session,
  now = Date.now(),
): Session {
  const claims = answer.claims();
  const sub = String(claims?.sub ?? previous?.sub ?? '');
  if (!sub) throw new Error('the provider named no subject');
  const email = typeof claims?.email === 'string' ? claims.email : (previous?.email ?? '');
  const name = typeof claims?.name === 'string' && claims.name ? claims.name : (previous?.name ?? email);
  return {
    sub,
    email,
    name: name || 'Me',
    admin: isAdmin(answer.access_token, roles),
    accessToken: answer.access_token,
    // Without expires_in the token is refreshed early rather than used past its end.
    expiresAt: Math.floor(now / 1000) + (answer.expires_in ?? 300),
    refreshToken: answer.refresh_token ?? previous?.refreshToken,
    idToken: answer.id_token ?? previous?.idToken,
  };
}

// Over https the __Host- prefix keeps a sibling subdomain from planting a session of its own.
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-profile_session' : 'profile_session');

/** What the session cookie's key is derived for (./seal.ts). */
export const SESSION_PURPOSE = 'session';

/** Only who the person is, for the page: never a token. */
export const userOf = ({ sub, name, email, admin }: Session): User => ({ sub, name, email, admin });

/** Refresh this long before the access token expires, so no request carries one that lapses in flight. */
export const REFRESH_MARGIN_SEC = 60;

export const needsRefresh = (s: Session, now = Date.now()) =>
  s.expiresAt - Math.floor(now / 1000) <= REFRESH_MARGIN_SEC;
