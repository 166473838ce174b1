// The browser's request passed on to the API and the answer passed back, streamed both ways (an
// upload is never held in memory). Only what the API needs goes upstream: not the browser's
// cookies, and an Authorization header only as this server sets it.

const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-range',
  'range',
  'x-request-id',
  // A create or upload retried after a lost answer is replayed by the API, not done twice.
  'idempotency-key',
  // A reconnecting EventSource names the last event it saw: the API sends what it missed.
  'last-event-id',
  // Set by Next.js from the socket when no proxy in front did: the API's per-address budgets.
  'x-forwarded-for',
];

// Hop-by-hop, or describing a body fetch() has already decoded, or not this origin's to set.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'set-cookie',
  'www-authenticate',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
]);

export function problem(status: number, code: string, detail: string): Response {
  return Response.json(
    { type: 'about:blank', title: code.replace(/_/g, ' '), status, code, detail },
    { status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
  );
}

function upstreamHeaders(request: Request, token: string | undefined): Headers {
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

/**
 * The API's answer as this origin's: what differed by Authorization now differs by the cookie, and
 * an answer made for one person is not for shared caches.
 */
function downstreamHeaders(upstream: Headers, personal: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) if (!DROPPED_RESPONSE_HEADERS.has(name)) headers.append(name, value);
  const vary = headers.get('vary');
  if (vary) headers.set('vary', vary.replace(/\bauthorization\b/gi, 'Cookie'));
  if (personal) {
    const cache = headers.get('cache-control') ?? '';
    if (!/no-store/.test(cache)) headers.set('cache-control', 'private, no-cache');
    if (!/\bcookie\b/i.test(headers.get('vary') ?? '')) headers.append('vary', 'Cookie');
  }
  if (headers.get('content-type')?.startsWith('text/event-stream')) unbuffered(headers);
  return headers;
}

/**
 * An event stream must reach the browser event by event: a compressor (Next.js's own, honouring
 * no-transform) or nginx (X-Accel-Buffering) in front would otherwise hold events back to fill its
 * buffer. Said here too, so that it holds whatever the API sends.
 */
function unbuffered(headers: Headers) {
  const cache = headers.get('cache-control');
  if (!cache) headers.set('cache-control', 'no-cache, no-transform');
  else if (!/no-transform/.test(cache)) headers.set('cache-control', `${cache}, no-transform`);
  headers.set('x-accel-buffering', 'no');
}

/** Forwards to `target` (the API's URL for this request) with the caller's access token, if any. */
export async function forward(request: Request, target: URL, token?: string): Promise<Response> {
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== null;
  let answer: Response;
  try {
    answer = await fetch(target, {
      method,
      headers: upstreamHeaders(request, token),
      redirect: 'manual',
      cache: 'no-store',
      signal: request.signal,
      ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
    } as RequestInit);
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.warn(`${method} ${target.pathname}: the API cannot be reached: ${(err as Error).message}`);
    return problem(502, 'unavailable', 'The API cannot be reached; retry in a moment');
  }
  return new Response(method === 'HEAD' ? null : answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: downstreamHeaders(answer.headers, Boolean(token)),
  });
}

/** The API's URL for a path of this origin, refused when it would leave `prefix` (e.g. /api/%2e%2e/). */
export function apiTarget(apiUrl: string, requestUrl: string, prefix: string): URL | undefined {
  const incoming = new URL(requestUrl);
  const target = new URL(`${incoming.pathname}${incoming.search}`, apiUrl);
  return target.pathname.startsWith(prefix) ? target : undefined;
}
