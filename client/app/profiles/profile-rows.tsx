import Link from 'next/link';
import { Avatar } from '@/components/avatar';
import type { Profile } from '@/lib/api';

/** Each profile as a link to it: its thumbnail or initials, name, email (when shown) and images. */
export function ProfileRows({ profiles }: { profiles: Profile[] }) {
  return (
    <ul className="profile-list" aria-live="polite">
      {profiles.map((p) => (
        <li key={p.id}>
          <Link href={`/profiles/${p.id}`} className="profile-row">
            <Avatar profile={p} />
            <span className="profile-row-text">
              <span className="profile-name">{p.name}</span>
              {p.email && <span className="muted">{p.email}</span>}
            </span>
            <span className="muted small">
              {p.image_urls.length} image{p.image_urls.length === 1 ? '' : 's'}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
