// The browser's session cookie, read and forged with the client's SESSION_SECRET (which the tests
// set): how a test makes an access token that is about to expire without waiting an hour.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seal, unseal } from '../../lib/server/seal';
import { SESSION_PURPOSE, type Session, sessionCookieName } from '../../lib/server/session-data';

export async function sessionCookie(page: Page) {
  const cookie = (await page.context().cookies()).find((c) => c.name === sessionCookieName(false));
  assert.ok(cookie, 'a session cookie');
  return cookie;
}

/** The session the browser's cookie holds, tokens and all. */
export async function readSession(page: Page, secret: string): Promise<Session> {
  const session = await unseal<Session>((await sessionCookie(page)).value, secret, SESSION_PURPOSE);
  assert.ok(session, 'a session the cookie opens');
  return session;
}

/** Rewrites the session so that its access token expires in 10 s; returns the session as it was. */
export async function forgeExpiringSession(page: Page, secret: string): Promise<Session> {
  const cookie = await sessionCookie(page);
  const session = await unseal<Session>(cookie.value, secret, SESSION_PURPOSE);
  assert.ok(session?.refreshToken, 'a session with a refresh token');
  const forged = await seal(
    { ...session, expiresAt: Math.floor(Date.now() / 1000) + 10 },
    secret,
    SESSION_PURPOSE,
    3600,
  );
  await page.context().addCookies([{ ...cookie, value: forged }]);
  return session;
}
