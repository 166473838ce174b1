import { ProfileForm } from '@/components/profile-form';
import type { Profile } from '@/lib/api';
import type { ProfileEdits } from '@/lib/hooks/use-profile-edits';
import { fieldsOf } from '@/lib/profile-fields';

/** The profile's fields to edit, and the button that asks to delete it. */
export function ProfileEditSection({ profile, edits }: { profile: Profile; edits: ProfileEdits }) {
  const { saveError, busy } = edits;
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Details</h2>
      <ProfileForm
        key={edits.formKey}
        initial={edits.seed ?? fieldsOf(profile)}
        errors={saveError?.byField() ?? {}}
        busy={busy}
        submitLabel="Save changes"
        onChange={edits.setDraft}
        onSubmit={edits.submit}
      >
        <button type="button" className="danger" onClick={() => edits.setConfirmDelete(true)} disabled={busy}>
          Delete profile…
        </button>
      </ProfileForm>
    </section>
  );
}
