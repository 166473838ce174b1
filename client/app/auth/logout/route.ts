// Sign-out: the session cookie dropped here, then the browser sent to the provider's
// end_session_endpoint (with the ID token as the hint) so that its session ends too; it comes
// back to this site's front page. POST only, and only from this site's own pages.
import { settings } from '@/lib/server/config';
import { problem } from '@/lib/server/forward';
import { endSessionUrl } from '@/lib/server/oidc';
import { seeOther } from '@/lib/server/redirect';
import { crossSiteRefusal, publicOrigin } from '@/lib/server/request-guard';
import { dropSession, readSession } from '@/lib/server/session';

export async function POST(request: Request): Promise<Response> {
  const origin = publicOrigin(request.headers, settings().clientOrigin);
  const refusal = crossSiteRefusal('POST', request.headers, origin);
  if (refusal) return problem(403, 'forbidden', `A cross-site sign-out was refused: ${refusal}`);
  const session = await readSession(origin);
  await dropSession(origin);
  if (!session) return seeOther('/');
  try {
    const url = await endSessionUrl(origin, session.idToken);
    return seeOther(url?.href ?? '/');
  } catch (err) {
    // Signed out here all the same; the provider's session lasts until it expires.
    console.warn(`sign-out: the provider cannot be reached: ${(err as Error).message}`);
    return seeOther('/');
  }
}
