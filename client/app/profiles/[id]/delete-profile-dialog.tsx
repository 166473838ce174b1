import { ConfirmDialog } from '@/components/confirm-dialog';
import type { Profile } from '@/lib/api';

/** The confirmation before a profile and all its images are deleted. */
export function DeleteProfileDialog({
  profile,
  open,
  busy,
  onConfirm,
  onCancel,
}: {
  profile: Profile;
  open: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      open={open}
      title="Delete this profile?"
      confirmLabel="Delete profile"
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        {profile.name}
        {profile.email && ` (${profile.email})`} and all {profile.image_urls.length} of their images will be
        deleted. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
