'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { Avatar } from '@/components/avatar';
import { Empty, ErrorBox, Loading } from '@/components/states';
import { type ApiError, api, nextCursor, type Profile } from '@/lib/api';

const PAGE_SIZE = 20;

type Page = { items: Profile[]; next: string | undefined };

/** Search and keyset pages live in the URL (?q=&cursor=), so a page can be shared and Back works. */
export function ProfileList() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? undefined;
  const [search, setSearch] = useState(q);
  const [page, setPage] = useState<Page | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [reload, setReload] = useState(0);
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

  // Typing searches after a pause, from the first page.
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => {
      setTrail([]);
      go({ q: search.trim(), cursor: undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, q, go]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the "Try again" trigger
  useEffect(() => {
    let live = true;
    setError(undefined);
    setPage(undefined);
    const sp = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (q) sp.set('q', q);
    if (cursor) sp.set('cursor', cursor);
    api<Profile[]>(`/api/v1/profiles?${sp}`)
      .then(({ data, headers }) => live && setPage({ items: data, next: nextCursor(headers) }))
      .catch((err: ApiError) => live && setError(err));
    return () => {
      live = false;
    };
  }, [q, cursor, reload]);

  return (
    <section aria-labelledby="results-heading">
      <div className="toolbar">
        <search className="search">
          <form onSubmit={(e) => e.preventDefault()}>
            <label htmlFor="search">Search by name or email</label>
            <input
              id="search"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="e.g. ada"
              autoComplete="off"
              maxLength={100}
            />
          </form>
        </search>
        <Link className="button primary" href="/profiles/new">
          New profile
        </Link>
      </div>
      <h2 id="results-heading" className="visually-hidden">
        Results
      </h2>
      {error && <ErrorBox error={error} retry={() => setReload((n) => n + 1)} />}
      {!error && !page && <Loading label="Loading profiles…" />}
      {page && page.items.length === 0 && (
        <Empty>
          {q ? (
            <p>No profile matches “{q}”.</p>
          ) : (
            <p>
              No profiles yet. <Link href="/profiles/new">Create the first one</Link>.
            </p>
          )}
        </Empty>
      )}
      {page && page.items.length > 0 && (
        <>
          <ul className="profile-list" aria-live="polite">
            {page.items.map((p) => (
              <li key={p.id}>
                <Link href={`/profiles/${p.id}`} className="profile-row">
                  <Avatar profile={p} />
                  <span className="profile-row-text">
                    <span className="profile-name">{p.name}</span>
                    <span className="muted">{p.email}</span>
                  </span>
                  <span className="muted small">
                    {p.image_urls.length} image{p.image_urls.length === 1 ? '' : 's'}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={!cursor}
              onClick={() => {
                const previous = trail.at(-1);
                setTrail((t) => t.slice(0, -1));
                go({ cursor: previous });
              }}
            >
              ← Previous page
            </button>
            <button
              type="button"
              disabled={!page.next}
              onClick={() => {
                setTrail((t) => [...t, cursor ?? '']);
                go({ cursor: page.next });
              }}
            >
              Next page →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
