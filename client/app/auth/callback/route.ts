// Sign-in, step 2: the provider's answer checked against the flow cookie (state, PKCE, nonce, iss),
// the code exchanged for tokens on this server, the session sealed into its cookie, and the
// person's own profile made on their first sign-in.
import { settings } from '@/lib/server/config';
import { ensureOwnProfile } from '@/lib/server/first-sign-in';
import { finishLogin } from '@/lib/server/oidc';
import { seeOther } from '@/lib/server/redirect';
import { publicOrigin } from '@/lib/server/request-guard';
import { saveSession, takeLoginFlow } from '@/lib/server/session';

export async function GET(request: Request): Promise<Response> {
  const { apiUrl, clientOrigin } = settings();
  const origin = publicOrigin(request.headers, clientOrigin);
  const flow = await takeLoginFlow(origin);
  if (!flow) return seeOther('/auth/error?reason=expired');
  const { search, searchParams } = new URL(request.url);
  const error = searchParams.get('error');
  if (error) return seeOther(`/auth/error?reason=${error === 'access_denied' ? 'denied' : 'refused'}`);
  let session: Awaited<ReturnType<typeof finishLogin>>;
  try {
    // The redirect_uri sent with the code must be the one the flow began with: this origin's.
    session = await finishLogin(new URL(`/auth/callback${search}`, origin), flow);
  } catch (err) {
    console.warn(`sign-in: the code exchange failed: ${(err as Error).message}`);
    return seeOther('/auth/error?reason=refused');
  }
  await saveSession(origin, session);
  await ensureOwnProfile(apiUrl, session);
  return seeOther(flow.returnTo);
}
