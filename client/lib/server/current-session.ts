import 'server-only';
import { grantEnded, refreshSession } from './oidc';
import { dropSession, readSession, saveSession } from './session';
import { needsRefresh, type Session } from './session-data';

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * The caller's session with an access token good for a while yet: refreshed (and the cookie
 * rewritten) shortly before it expires. For route handlers only, which may set cookies. A grant
 * the provider ended drops the session; a provider that cannot be reached keeps it, using the
 * token it has while that is still valid.
 */
export async function currentSession(origin: string): Promise<Session | undefined> {
  const session = await readSession(origin);
  if (!session || !needsRefresh(session)) return session;
  const stillValid = session.expiresAt > nowSec() ? session : undefined;
  if (!session.refreshToken) return stillValid ?? drop(origin);
  try {
    const fresh = await refreshSession(session);
    await saveSession(origin, fresh);
    return fresh;
  } catch (err) {
    if (grantEnded(err)) return drop(origin);
    console.warn(`session refresh failed: ${(err as Error).message}`);
    return stillValid;
  }
}

async function drop(origin: string): Promise<undefined> {
  await dropSession(origin);
  return undefined;
}
