// Every browser call to the API comes through here: same origin (no CORS), and the access token
// is attached on this server, never seen by the page.
import { settings } from '@/lib/server/config';
import { currentSession } from '@/lib/server/current-session';
import { apiTarget, forward, problem } from '@/lib/server/forward';
import { crossSiteRefusal, publicOrigin } from '@/lib/server/request-guard';

async function handle(request: Request): Promise<Response> {
  const { apiUrl, clientOrigin } = settings();
  const origin = publicOrigin(request.headers, clientOrigin);
  const refusal = crossSiteRefusal(request.method, request.headers, origin);
  if (refusal) return problem(403, 'forbidden', `A cross-site request was refused: ${refusal}`);
  const target = apiTarget(apiUrl, request.url, '/api/');
  if (!target) return problem(404, 'not_found', 'No such API path');
  const session = await currentSession(origin);
  return forward(request, target, session?.accessToken);
}

export { handle as DELETE, handle as GET, handle as HEAD, handle as PATCH, handle as POST, handle as PUT };
