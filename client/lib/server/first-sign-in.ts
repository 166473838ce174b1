import 'server-only';
import type { Session } from './session-data';

const TIMEOUT_MS = 5_000;

/**
 * The signed-in person's own profile, made from the ID token's name and email on their first
 * sign-in. Best effort: whatever goes wrong (the email taken by another profile, the API down) is
 * logged and the sign-in goes on; the person can create it from "My profile" later.
 */
export async function ensureOwnProfile(apiUrl: string, session: Session): Promise<void> {
  const headers = { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' };
  try {
    const mine = await fetch(`${apiUrl}/api/v1/me`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await mine.body?.cancel();
    if (mine.status !== 404 || !session.email) return;
    const created = await fetch(`${apiUrl}/api/v1/profiles`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      // An admin's profile is unowned unless it names its owner, and an ordinary user's is theirs
      // either way: naming the subject is right for both.
      body: JSON.stringify({ name: session.name.slice(0, 100), email: session.email, owner: session.sub }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!created.ok)
      console.warn(`first sign-in: no profile made: ${created.status} ${await created.text()}`);
  } catch (err) {
    console.warn(`first sign-in: no profile made: ${(err as Error).message}`);
  }
}
