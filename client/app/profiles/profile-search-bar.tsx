import Link from 'next/link';

/** The search box (by name or email) and the way to a new profile. */
export function ProfileSearchBar({
  search,
  onSearch,
}: {
  search: string;
  onSearch: (value: string) => void;
}) {
  return (
    <div className="toolbar">
      <search className="search">
        <form onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="search">Search by name or email</label>
          <input
            id="search"
            type="search"
            value={search}
            onChange={(e) => onSearch(e.target.value)}
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
  );
}
