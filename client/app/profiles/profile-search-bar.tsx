import Link from 'next/link';
import { useSession } from '@/lib/session-context';

/** The search box, and the way to a new profile for those who may make one. */
export function ProfileSearchBar({
  search,
  onSearch,
}: {
  search: string;
  onSearch: (value: string) => void;
}) {
  const { user, me } = useSession();
  // Only admins see emails, so only their searches match them.
  const label = user?.admin ? 'Search by name or email' : 'Search by name';
  return (
    <div className="toolbar">
      <search className="search">
        <form onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="search">{label}</label>
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
      {user?.admin && (
        <Link className="button primary" href="/profiles/new">
          New profile
        </Link>
      )}
      {user && !user.admin && me === null && (
        <Link className="button primary" href="/me">
          Create my profile
        </Link>
      )}
    </div>
  );
}
