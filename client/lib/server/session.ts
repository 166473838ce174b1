import 'server-only';
import { cookies } from 'next/headers';
import { settings } from './config';
import { seal, unseal } from './seal';
import { SESSION_PURPOSE, type Session, sessionCookieName } from './session-data';

/** As long as the provider's refresh tokens live: past that, signing in again is needed anyway. */
export const SESSION_TTL_SEC = 14 * 86_400;

const secureFor = (origin: string) => origin.startsWith('https:');

/**
 * The session cookie's attributes: never readable by page JavaScript; SameSite=Lax, so it goes with
 * a top-level navigation from elsewhere (a shared link opens signed in) but not with a cross-site
 * subrequest; writes are further guarded by the proxy's origin check.
 */
const attributes = (secure: boolean, maxAge: number) =>
  ({ httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge }) as const;

export async function readSession(origin: string): Promise<Session | undefined> {
  const value = (await cookies()).get(sessionCookieName(secureFor(origin)))?.value;
  return value ? unseal<Session>(value, settings().sessionSecret, SESSION_PURPOSE) : undefined;
}

async function setSealed(name: string, payload: object, purpose: string, options: { maxAge: number }) {
  const value = await seal({ ...payload }, settings().sessionSecret, purpose, options.maxAge);
  (await cookies()).set(name, value, options);
}

export async function saveSession(origin: string, session: Session): Promise<void> {
  const secure = secureFor(origin);
  await setSealed(sessionCookieName(secure), session, SESSION_PURPOSE, attributes(secure, SESSION_TTL_SEC));
}

export async function dropSession(origin: string): Promise<void> {
  const secure = secureFor(origin);
  (await cookies()).set(sessionCookieName(secure), '', attributes(secure, 0));
}

/** The state of a sign-in under way (PKCE verifier, state, nonce, where to return), for its callback. */
export type LoginFlow = { verifier: string; state: string; nonce: string; returnTo: string };

const FLOW_PURPOSE = 'login-flow';
const FLOW_TTL_SEC = 600;
const flowCookieName = (secure: boolean) => (secure ? '__Secure-profile_login' : 'profile_login');
const flowAttributes = (secure: boolean, maxAge: number) =>
  ({ httpOnly: true, sameSite: 'lax', secure, path: '/auth/callback', maxAge }) as const;

export async function saveLoginFlow(origin: string, flow: LoginFlow): Promise<void> {
  const secure = secureFor(origin);
  await setSealed(flowCookieName(secure), flow, FLOW_PURPOSE, flowAttributes(secure, FLOW_TTL_SEC));
}

/** The flow this callback belongs to, read once: the cookie is dropped whatever the outcome. */
export async function takeLoginFlow(origin: string): Promise<LoginFlow | undefined> {
  const secure = secureFor(origin);
  const jar = await cookies();
  const value = jar.get(flowCookieName(secure))?.value;
  jar.set(flowCookieName(secure), '', flowAttributes(secure, 0));
  return value ? unseal<LoginFlow>(value, settings().sessionSecret, FLOW_PURPOSE) : undefined;
}
