// Which methods a path answers, so a known path asked with another method gets 405 and Allow
// rather than 404. The index is a router of its own, fed by every route Fastify registers, so a
// concrete URL matches a route's pattern by the same rules as routing.
import Router from 'find-my-way';

type Method = Router.HTTPMethod;

export type MethodIndex = {
  add(methods: string | string[], url: string): void;
  /** The methods some route answers at this URL (empty: no route has this path). */
  allowed(url: string): string[];
};

export function createMethodIndex(): MethodIndex {
  const router = Router({ ignoreTrailingSlash: false });
  const methods = new Set<Method>();
  const noop = () => undefined;
  return {
    add(given, url) {
      // A catch-all (the CORS preflight's OPTIONS *) says nothing about which paths exist.
      if (url === '*' || url === '/*') return;
      for (const method of Array.isArray(given) ? given : [given]) {
        const m = method.toUpperCase() as Method;
        if (router.hasRoute(m, url)) continue;
        router.on(m, url, noop);
        methods.add(m);
      }
    },
    allowed(url) {
      const path = url.split('?')[0] ?? url;
      return [...methods].filter((m) => router.find(m, path) !== null).sort();
    },
  };
}
