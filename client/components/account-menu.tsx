'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useSession } from '@/lib/session-context';

/**
 * Signed out: "Sign in", which comes back to this page. Signed in: who, an admin badge, and
 * "Sign out" (a form POST: a link could be followed by another site's page).
 */
export function AccountMenu() {
  const { user } = useSession();
  const path = usePathname();
  const query = useSearchParams().toString();
  if (!user) {
    const here = `${path}${query ? `?${query}` : ''}`;
    return (
      <div className="account">
        <a className="button primary" href={`/auth/login?returnTo=${encodeURIComponent(here)}`}>
          Sign in
        </a>
      </div>
    );
  }
  return (
    <div className="account">
      <span className="account-name" title={user.email}>
        {user.name}
      </span>
      {user.admin && <span className="badge badge-admin">Admin</span>}
      <form method="post" action="/auth/logout">
        <button type="submit">Sign out</button>
      </form>
    </div>
  );
}
