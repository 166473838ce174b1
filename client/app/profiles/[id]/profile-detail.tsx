'use client';

import { useSearchParams } from 'next/navigation';
import { ErrorBox, Loading, Notice } from '@/components/states';
import { useProfile } from '@/lib/hooks/use-profile';
import { useProfileEdits } from '@/lib/hooks/use-profile-edits';
import { ConflictPanel } from './conflict-panel';
import { DeleteProfileDialog } from './delete-profile-dialog';
import { Gallery } from './gallery';
import { ProfileEditSection } from './profile-edit-section';
import { ProfileHeading } from './profile-heading';
import { ProfileNotFound } from './profile-not-found';

export function ProfileDetail({ id }: { id: string }) {
  const created = useSearchParams().get('created') === '1';
  const loaded = useProfile(id);
  const { profile, loadError, load } = loaded;
  const edits = useProfileEdits(id, loaded, created);
  const { saveError, conflict, busy } = edits;

  if (loadError?.status === 404) return <ProfileNotFound />;
  if (loadError && !profile) return <ErrorBox error={loadError} retry={() => void load()} />;
  if (!profile) return <Loading label="Loading profile…" />;

  return (
    <>
      <ProfileHeading profile={profile} />
      {edits.notice && <Notice kind="success">{edits.notice}</Notice>}
      {saveError && (
        <Notice kind="error">
          {saveError.errors.length > 0 ? 'Please correct the fields marked below.' : saveError.message}
        </Notice>
      )}
      {conflict && (
        <ConflictPanel
          conflict={conflict}
          busy={busy}
          onKeepMine={() => void edits.save(conflict.mine, conflict.theirs.version)}
          onKeepTheirs={edits.dismissConflict}
        />
      )}

      <ProfileEditSection profile={profile} edits={edits} />

      <Gallery profileId={profile.id} version={profile.version} onChange={() => void load()} />

      <DeleteProfileDialog
        profile={profile}
        open={edits.confirmDelete}
        busy={busy}
        onConfirm={() => void edits.remove()}
        onCancel={() => edits.setConfirmDelete(false)}
      />
    </>
  );
}
