import type { Profile } from '@/lib/api';

/** Someone else's profile, read-only: its bio (the API leaves their email out). */
export function ProfileSummary({ profile }: { profile: Profile }) {
  return (
    <section aria-labelledby="about-heading">
      <h2 id="about-heading">About</h2>
      {profile.bio ? <p className="bio">{profile.bio}</p> : <p className="muted">No bio yet.</p>}
      <p className="muted small">Only {profile.name} and administrators can change this profile.</p>
    </section>
  );
}
