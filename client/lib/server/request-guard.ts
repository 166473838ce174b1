// Where a request came from, read from what browsers send. Pure.

type Headers = { get(name: string): string | null };

/**
 * The origin people reach this server at: CLIENT_ORIGIN when set, else the request's own (a
 * proxy in front names it in X-Forwarded-Host/-Proto). Next.js's request.url cannot serve: it
 * names the address the server listens on, not the one the browser used.
 */
export function publicOrigin(headers: Headers, configured: string | undefined): string {
  if (configured) return configured;
  const first = (name: string) => headers.get(name)?.split(',')[0]?.trim() || undefined;
  const host = first('x-forwarded-host') ?? first('host') ?? 'localhost';
  const proto = first('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing request is refused as cross-site, or undefined when it is this origin's
 * own. The session cookie is SameSite=Lax already; this is the second guard, for the browsers and
 * cases Lax misses (a sibling subdomain is same-site). Fetch Metadata first, as every current
 * browser sends it; Origin for older ones; a write with neither is not from a page of ours.
 */
export function crossSiteRefusal(method: string, headers: Headers, origin: string): string | undefined {
  if (SAFE.has(method.toUpperCase())) return undefined;
  const site = headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' ? undefined : `Sec-Fetch-Site is ${site}`;
  const from = headers.get('origin');
  if (from) return from === origin ? undefined : `Origin ${from} is not ${origin}`;
  return 'neither Sec-Fetch-Site nor Origin says where it came from';
}

/** A path of this site to return to after signing in: anything else (another site, `//x`) is `/`. */
export function safeReturnTo(value: string | null | undefined): string {
  // Browsers drop tabs and newlines from a URL and read \ as /: "/\t/evil" would be "//evil".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused
  if (!value?.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  if (value.startsWith('//') || value.startsWith('/auth/')) return '/';
  return value;
}
