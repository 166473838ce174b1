'use client';

import { usePathname } from 'next/navigation';
import { NavLink } from '@/components/nav-link';
import { useSession } from '@/lib/session-context';

/** The sections; "My profile" once signed in, "New profile" for admins (who create any number). */
export function MainNav() {
  const { user, me } = useSession();
  const path = usePathname();
  const mine = path === '/me' || (me ? path === `/profiles/${me.id}` : false);
  return (
    <nav aria-label="Main">
      <ul>
        <li>
          <NavLink
            href="/profiles"
            current={path.startsWith('/profiles') && !mine && path !== '/profiles/new'}
          >
            Profiles
          </NavLink>
        </li>
        {user && (
          <li>
            <NavLink href="/me" current={mine}>
              My profile
            </NavLink>
          </li>
        )}
        {user?.admin && (
          <li>
            <NavLink href="/profiles/new">New profile</NavLink>
          </li>
        )}
        <li>
          <NavLink href="/tasks">Tasks</NavLink>
        </li>
        <li>
          <NavLink href="/system">System</NavLink>
        </li>
      </ul>
    </nav>
  );
}
