'use client';

import { Empty, ErrorBox, Loading, Notice } from '@/components/states';
import { sentence } from '@/lib/format';
import { useProfilePage } from '@/lib/hooks/use-profile-page';
import { useProfileSearch } from '@/lib/hooks/use-profile-search';
import { Pager } from './pager';
import { ProfileRows } from './profile-rows';
import { ProfileSearchBar } from './profile-search-bar';

/** Search and keyset pages live in the URL (?q=&cursor=), so a page can be shared and Back works. */
export function ProfileList() {
  const { q, cursor, search, setSearch, previousPage, nextPage } = useProfileSearch();
  const { page, error, retry } = useProfilePage(q, cursor);
  // A search the API will not run (too short to use its index): say how to make one it will.
  const searchRefused = error?.status === 400 ? error.byField().q : undefined;

  return (
    <section aria-labelledby="results-heading">
      <ProfileSearchBar search={search} onSearch={setSearch} />
      <h2 id="results-heading" className="visually-hidden">
        Results
      </h2>
      {searchRefused ? (
        <Notice kind="info">{sentence(`a search ${searchRefused}`)}</Notice>
      ) : (
        error && <ErrorBox error={error} retry={retry} />
      )}
      {!error && !page && <Loading label="Loading profiles…" />}
      {page && page.items.length === 0 && (
        <Empty>{q ? <p>No profile matches “{q}”.</p> : <p>No profiles yet.</p>}</Empty>
      )}
      {page && page.items.length > 0 && (
        <>
          <ProfileRows profiles={page.items} />
          <Pager
            onPrevious={cursor ? previousPage : undefined}
            onNext={page.next ? () => nextPage(page.next) : undefined}
          />
        </>
      )}
    </section>
  );
}
