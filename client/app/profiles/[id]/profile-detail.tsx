'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { type ProfileFields, ProfileForm } from '@/components/profile-form';
import { ErrorBox, Loading, Notice } from '@/components/states';
import { ApiError, api, formatTime, type Profile } from '@/lib/api';
import { Gallery } from './gallery';

/** Someone else's newer version, met on save (412), with the edits that were refused. */
type Conflict = { theirs: Profile; mine: ProfileFields };

const asApiError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err));

export function ProfileDetail({ id }: { id: string }) {
  const router = useRouter();
  const justCreated = useSearchParams().get('created') === '1';
  const [profile, setProfile] = useState<Profile | undefined>();
  const [loadError, setLoadError] = useState<ApiError | undefined>();
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const [notice, setNotice] = useState<string | undefined>(justCreated ? 'Profile created.' : undefined);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const { data } = await api<Profile>(`/api/v1/profiles/${id}`);
      setProfile(data);
      return data;
    } catch (err) {
      setLoadError(asApiError(err));
      return undefined;
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** PATCH only if the profile is still at `version` (If-Match); a 412 opens the conflict panel. */
  const save = async (fields: ProfileFields, version: number) => {
    setBusy(true);
    setSaveError(undefined);
    setNotice(undefined);
    try {
      const { data } = await api<Profile>(`/api/v1/profiles/${id}`, {
        method: 'PATCH',
        headers: { 'if-match': `"${version}"` },
        body: JSON.stringify(fields),
      });
      setProfile(data);
      setConflict(undefined);
      setNotice(`Saved. This is version ${data.version}.`);
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 412) {
        const theirs = await load();
        if (theirs) setConflict({ theirs, mine: fields });
      } else {
        setSaveError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api(`/api/v1/profiles/${id}`, { method: 'DELETE' });
      router.push('/profiles');
    } catch (err) {
      setSaveError(asApiError(err));
      setBusy(false);
      setConfirmDelete(false);
    }
  };

  if (loadError?.status === 404) {
    return (
      <>
        <h1>Profile not found</h1>
        <p>
          It may have been deleted. <Link href="/profiles">Back to all profiles</Link>
        </p>
      </>
    );
  }
  if (loadError && !profile) return <ErrorBox error={loadError} retry={() => void load()} />;
  if (!profile) return <Loading label="Loading profile…" />;

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
      {notice && <Notice kind="success">{notice}</Notice>}
      {saveError && (
        <Notice kind="error">
          {saveError.errors.length > 0 ? 'Please correct the fields marked below.' : saveError.message}
        </Notice>
      )}

      {conflict && (
        <section className="conflict" aria-labelledby="conflict-heading" role="alert">
          <h2 id="conflict-heading">Someone else changed this profile</h2>
          <p>
            Your changes were not saved: the profile is now at version {conflict.theirs.version}. Choose which
            version to keep.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Their version (saved)</th>
                <th scope="col">Your edits (not saved)</th>
              </tr>
            </thead>
            <tbody>
              {(['name', 'email', 'bio'] as const).map((f) => (
                <tr key={f} className={conflict.theirs[f] !== conflict.mine[f] ? 'differs' : undefined}>
                  <th scope="row">{f}</th>
                  <td>{conflict.theirs[f] || <span className="muted">(empty)</span>}</td>
                  <td>{conflict.mine[f] || <span className="muted">(empty)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void save(conflict.mine, conflict.theirs.version)}
            >
              Keep my edits (overwrite theirs)
            </button>
            <button type="button" disabled={busy} onClick={() => setConflict(undefined)}>
              Keep their version (discard my edits)
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Details</h2>
        <ProfileForm
          // A new version resets the form to what is saved.
          key={`${profile.version}-${conflict ? 'conflict' : 'ok'}`}
          initial={{ name: profile.name, email: profile.email, bio: profile.bio }}
          errors={saveError?.byField() ?? {}}
          busy={busy}
          submitLabel="Save changes"
          onSubmit={(fields) => void save(fields, profile.version)}
        >
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete profile…
          </button>
        </ProfileForm>
      </section>

      <Gallery profileId={profile.id} version={profile.version} onChange={() => void load()} />

      <ConfirmDialog
        open={confirmDelete}
        title="Delete this profile?"
        confirmLabel="Delete profile"
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          {profile.name} ({profile.email}) and all {profile.image_urls.length} of their images will be
          deleted. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
