import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { type ApiError, api, asApiError, type Profile, type ProfileFields } from '@/lib/api';
import { changesFrom, fieldsOf, withChanges } from '@/lib/profile-fields';

/**
 * Someone else's newer version, with the changes not saved (only the fields the person changed):
 * met on saving (412), or announced by the event stream while editing.
 */
export type Conflict = { theirs: Profile; mine: Partial<ProfileFields>; seen: 'on-save' | 'live' };

type Loaded = {
  profile: Profile | undefined;
  load: () => Promise<Profile | undefined>;
  setProfile: (profile: Profile) => void;
};

/** A message about one version: shown only while the page is at that version. */
type Notice = { text: string; version: number };

/**
 * The form's edits: what it holds (undefined until typed in), what it starts from (the profile as
 * it now is, unless `seed` says otherwise), and a key that starts it over. Not the version: a
 * version that arrives must not wipe out edits.
 */
function useDraft() {
  const [form, setForm] = useState<{ key: number; draft?: ProfileFields; seed?: ProfileFields }>({ key: 0 });
  const resetForm = useCallback(
    (seed?: ProfileFields) => setForm((f) => ({ key: f.key + 1, ...(seed ? { seed, draft: seed } : {}) })),
    [],
  );
  const setDraft = useCallback((draft: ProfileFields) => setForm((f) => ({ ...f, draft })), []);
  return { formKey: form.key, draft: form.draft, seed: form.seed, setDraft, resetForm };
}

/** Deleting the profile, once confirmed; then on to the list. */
function useDeletion(id: string, onError: (error: ApiError) => void) {
  const router = useRouter();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = async () => {
    setDeleting(true);
    try {
      await api.delete('/api/v1/profiles/{id}', { path: { id } });
      router.push('/profiles');
    } catch (err) {
      onError(asApiError(err));
      setDeleting(false);
      setConfirmDelete(false);
    }
  };
  return { confirmDelete, setConfirmDelete, deleting, remove };
}

/** Saving a profile's fields (with the conflicts concurrent saves cause) and deleting it. */
export function useProfileEdits(id: string, { profile, load, setProfile }: Loaded, created: boolean) {
  const form = useDraft();
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const [notice, setNoticeOf] = useState<Notice | undefined>(
    created ? { text: 'Profile created.', version: 1 } : undefined,
  );
  const setNotice = useCallback(
    (text?: string, version?: number) =>
      setNoticeOf(text && version !== undefined ? { text, version } : undefined),
    [],
  );
  const [saving, setSaving] = useState(false);
  const { deleting, ...deletion } = useDeletion(id, setSaveError);

  /**
   * PATCHes only `changes` (the fields the person changed), only if the profile is still at
   * `version` (If-Match); a 412 opens the conflict panel over their version, with these changes.
   */
  const save = async (changes: Partial<ProfileFields>, version: number) => {
    setSaving(true);
    setSaveError(undefined);
    setNotice(undefined);
    try {
      const { data } = await api.patch('/api/v1/profiles/{id}', {
        path: { id },
        headers: { 'if-match': `"${version}"` },
        body: changes,
      });
      setProfile(data);
      setConflict(undefined);
      form.resetForm();
      setNotice(`Saved. This is version ${data.version}.`, data.version);
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 412) {
        const theirs = await load();
        if (theirs) {
          setConflict({ theirs, mine: changes, seen: 'on-save' });
          form.resetForm(withChanges(theirs, changes));
        }
      } else {
        setSaveError(e);
      }
    } finally {
      setSaving(false);
    }
  };

  /** The form as submitted, measured against the profile it was editing. */
  const submit = (fields: ProfileFields) => {
    if (!profile) return;
    const changes = changesFrom(fieldsOf(profile), fields);
    if (Object.keys(changes).length === 0)
      return setNotice('Nothing to save: no field was changed.', profile.version);
    void save(changes, profile.version);
  };

  /** Each edit in the form: a message about what was before is over. */
  const edit = useCallback(
    (fields: ProfileFields) => {
      form.setDraft(fields);
      setNoticeOf(undefined);
    },
    [form.setDraft],
  );

  return {
    ...form,
    setDraft: edit,
    ...deletion,
    saveError,
    conflict,
    notice: notice && profile?.version === notice.version ? notice.text : undefined,
    setNotice,
    busy: saving || deleting,
    save,
    submit,
    ...conflictChoices(conflict, { setConflict, setProfile, resetForm: form.resetForm }),
  };
}

/** What can be done about a conflict, besides saving one's edits over theirs. */
function conflictChoices(
  conflict: Conflict | undefined,
  to: {
    setConflict: (c?: Conflict) => void;
    setProfile: (p: Profile) => void;
    resetForm: (seed?: ProfileFields) => void;
  },
) {
  return {
    /** Announced by the stream: their version beside the changes it would otherwise be saved over. */
    offer: (theirs: Profile, mine: Partial<ProfileFields>) => to.setConflict({ theirs, mine, seen: 'live' }),
    /** Their version in the form; the edits go. */
    takeTheirs: () => {
      if (conflict) to.setProfile(conflict.theirs);
      to.resetForm();
      to.setConflict(undefined);
    },
    /** One's changes stay, now over their version (the fields one did not touch become theirs). */
    keepEditing: () => {
      if (!conflict) return;
      to.setProfile(conflict.theirs);
      to.resetForm(withChanges(conflict.theirs, conflict.mine));
      to.setConflict(undefined);
    },
  };
}

export type ProfileEdits = ReturnType<typeof useProfileEdits>;
