import { FormErrorNotice } from '@/components/states';
import type { Profile } from '@/lib/api';
import type { ProfileEdits } from '@/lib/hooks/use-profile-edits';
import { ConflictPanel } from './conflict-panel';
import { DeleteProfileDialog } from './delete-profile-dialog';
import { ProfileEditSection } from './profile-edit-section';

/** What the owner or an admin can do to a profile: save (with conflicts), and delete. */
export function ProfileEditor({ profile, edits }: { profile: Profile; edits: ProfileEdits }) {
  const { saveError, conflict, busy } = edits;
  return (
    <>
      {saveError && <FormErrorNotice error={saveError} />}
      {conflict && (
        <ConflictPanel
          conflict={conflict}
          busy={busy}
          onKeepMine={
            conflict.seen === 'live'
              ? edits.keepEditing
              : () => void edits.save(conflict.mine, conflict.theirs.version)
          }
          onKeepTheirs={edits.takeTheirs}
        />
      )}
      <ProfileEditSection profile={profile} edits={edits} />
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
