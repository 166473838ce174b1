import Link from 'next/link';
import type { Profile } from '@/lib/api';
import { formatTime } from '@/lib/format';

/** The way back to the list, the profile's name, and which version this is. */
export function ProfileHeading({ profile }: { profile: Profile }) {
  return (
    <>
      <p>
        <Link href="/profiles">← All profiles</Link>
      </p>
      <h1>{profile.name}</h1>
      <p className="muted">
        Version {profile.version} · updated {formatTime(profile.updated_at)} · created{' '}
        {formatTime(profile.created_at)}
      </p>
    </>
  );
}
