import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';

const DEBOUNCE_MS = 300;

/**
 * The search and the page's cursor, kept in the URL (?q=&cursor=) so that a page can be shared and
 * Back works; typing searches after a pause, from the first page.
 */
export function useProfileSearch() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? undefined;
  const [search, setSearch] = useState(q);
  // Cursors of the pages before this one, for "Previous page".
  const [trail, setTrail] = useState<string[]>([]);

  const go = useCallback(
    (next: { q?: string; cursor?: string | undefined }) => {
      const sp = new URLSearchParams();
      const query = next.q ?? q;
      if (query) sp.set('q', query);
      if (next.cursor) sp.set('cursor', next.cursor);
      router.replace(`${pathname}${sp.size ? `?${sp}` : ''}`, { scroll: false });
    },
    [router, pathname, q],
  );

  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => {
      setTrail([]);
      go({ q: search.trim(), cursor: undefined });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, q, go]);

  const previousPage = () => {
    const previous = trail.at(-1);
    setTrail((t) => t.slice(0, -1));
    go({ cursor: previous });
  };
  const nextPage = (next: string | undefined) => {
    setTrail((t) => [...t, cursor ?? '']);
    go({ cursor: next });
  };

  return { q, cursor, search, setSearch, previousPage, nextPage };
}
