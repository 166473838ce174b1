/** 303 See Other to `location` (a path of this site, or the provider), never cached. */
export const seeOther = (location: string) =>
  new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
