import { ProfileForm } from '@/components/profile-form';
import type { Profile } from '@/lib/api';
import type { ProfileEdits } from '@/lib/hooks/use-profile-edits';

/** The profile's fields to edit, and the button that asks to delete it. */
export function ProfileEditSection({ profile, edits }: { profile: Profile; edits: ProfileEdits }) {
  const { saveError, conflict, busy } = edits;
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Details</h2>
      <ProfileForm
        // A new version resets the form to what is saved.
        key={`${profile.version}-${conflict ? 'conflict' : 'ok'}`}
        initial={{ name: profile.name, email: profile.email ?? '', bio: profile.bio }}
        errors={saveError?.byField() ?? {}}
        busy={busy}
        submitLabel="Save changes"
        onSubmit={(fields) => void edits.save(fields, profile.version)}
      >
        <button type="button" className="danger" onClick={() => edits.setConfirmDelete(true)} disabled={busy}>
          Delete profile…
        </button>
      </ProfileForm>
    </section>
  );
}
