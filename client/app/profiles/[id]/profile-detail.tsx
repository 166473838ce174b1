'use client';

import { useSearchParams } from 'next/navigation';
import { ErrorBox, Loading, Notice } from '@/components/states';
import { useLiveProfile } from '@/lib/hooks/use-live-profile';
import { useProfile } from '@/lib/hooks/use-profile';
import { useProfileEdits } from '@/lib/hooks/use-profile-edits';
import { useMayChange } from '@/lib/session-context';
import { Gallery } from './gallery';
import { ProfileEditor } from './profile-editor';
import { ProfileHeading } from './profile-heading';
import { ProfileNotFound } from './profile-not-found';
import { ProfileSummary } from './profile-summary';

/**
 * A profile: editable by its owner and admins, read-only (and without its email) for everyone else;
 * either way, changes made elsewhere show as they happen.
 */
export function ProfileDetail({ id }: { id: string }) {
  const created = useSearchParams().get('created') === '1';
  const loaded = useProfile(id);
  const { profile, loadError, load } = loaded;
  const edits = useProfileEdits(id, loaded, created);
  const mayChange = useMayChange(id);
  useLiveProfile(id, loaded, edits, mayChange ?? false);

  if (loadError?.status === 404) return <ProfileNotFound />;
  if (loadError && !profile) return <ErrorBox error={loadError} retry={() => void load()} />;
  if (!profile || mayChange === undefined) return <Loading label="Loading profile…" />;

  return (
    <>
      <ProfileHeading profile={profile} />
      {edits.notice && <Notice kind="success">{edits.notice}</Notice>}
      {mayChange ? <ProfileEditor profile={profile} edits={edits} /> : <ProfileSummary profile={profile} />}
      <Gallery
        profileId={profile.id}
        version={profile.version}
        editable={mayChange}
        onChange={() => void load()}
      />
    </>
  );
}
