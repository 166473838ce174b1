import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { type ApiError, api, asApiError, type Profile, type ProfileFields } from '@/lib/api';

/** Someone else's newer version, met on save (412), with the edits that were refused. */
export type Conflict = { theirs: Profile; mine: ProfileFields };

type Loaded = { load: () => Promise<Profile | undefined>; setProfile: (profile: Profile) => void };

/** Saving a profile's fields (with the conflict a concurrent save causes) and deleting it. */
export function useProfileEdits(id: string, { load, setProfile }: Loaded, created: boolean) {
  const router = useRouter();
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const [notice, setNotice] = useState<string | undefined>(created ? 'Profile created.' : undefined);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  /** PATCH only if the profile is still at `version` (If-Match); a 412 opens the conflict panel. */
  const save = async (fields: ProfileFields, version: number) => {
    setBusy(true);
    setSaveError(undefined);
    setNotice(undefined);
    try {
      const { data } = await api.patch('/api/v1/profiles/{id}', {
        path: { id },
        headers: { 'if-match': `"${version}"` },
        body: fields,
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
      await api.delete('/api/v1/profiles/{id}', { path: { id } });
      router.push('/profiles');
    } catch (err) {
      setSaveError(asApiError(err));
      setBusy(false);
      setConfirmDelete(false);
    }
  };

  const dismissConflict = () => setConflict(undefined);
  return {
    saveError,
    conflict,
    notice,
    busy,
    confirmDelete,
    setConfirmDelete,
    save,
    remove,
    dismissConflict,
  };
}

export type ProfileEdits = ReturnType<typeof useProfileEdits>;
