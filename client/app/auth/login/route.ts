// Sign-in, step 1: a new PKCE verifier, state and nonce, kept in a short-lived sealed cookie for the
// callback, and the browser sent to the provider's authorization endpoint.
import { settings } from '@/lib/server/config';
import { startLogin } from '@/lib/server/oidc';
import { seeOther } from '@/lib/server/redirect';
import { publicOrigin, safeReturnTo } from '@/lib/server/request-guard';
import { saveLoginFlow } from '@/lib/server/session';

export async function GET(request: Request): Promise<Response> {
  const origin = publicOrigin(request.headers, settings().clientOrigin);
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get('returnTo'));
  try {
    const { url, flow } = await startLogin(origin, returnTo);
    await saveLoginFlow(origin, flow);
    return seeOther(url.href);
  } catch (err) {
    console.warn(`sign-in: the provider cannot be reached: ${(err as Error).message}`);
    return seeOther('/auth/error?reason=unavailable');
  }
}
