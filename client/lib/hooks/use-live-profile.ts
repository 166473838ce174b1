import { useEffect, useState } from 'react';
import { api, asApiError, type Profile } from '@/lib/api';
import { PROFILE_EVENTS, type ProfileChange } from '@/lib/live/events';
import { useLive } from '@/lib/live/live-context';
import { changedProfile } from '@/lib/live/profile-updates';
import { changesFrom, fieldsDiffer, fieldsOf, sameFields } from '@/lib/profile-fields';
import type { ProfileEdits } from './use-profile-edits';

type Loaded = {
  profile: Profile | undefined;
  setProfile: (profile: Profile) => void;
  load: () => Promise<Profile | undefined>;
};

/** The newest version announced (GONE once deleted), with what its event said of it, if any. */
type Latest = { version: number; change?: ProfileChange };

const GONE = Number.POSITIVE_INFINITY;

/** The profile as it is now, or undefined when it is gone. */
async function current(id: string): Promise<Profile | undefined> {
  try {
    return (await api.get('/api/v1/profiles/{id}', { path: { id } })).data;
  } catch (err) {
    if (asApiError(err).status === 404) return undefined;
    throw err;
  }
}

/**
 * Follows changes made elsewhere to the profile shown, as the event stream announces them: shown at
 * once, unless the form holds unsaved edits and the change touches what it edits: then the choice
 * is offered (their version, or editing on). The owner and admins have it read by id: the event
 * has no email, which they see and edit; anyone else sees what the event says. Nothing is done
 * while a save is under way: its own event must not pass for someone else's.
 */
export function useLiveProfile(id: string, loaded: Loaded, edits: ProfileEdits, mayChange: boolean) {
  const [latest, setLatest] = useState<Latest>({ version: 0 });
  const announce = (version: number, change?: ProfileChange) =>
    setLatest((l) => (version > l.version ? { version, ...(change ? { change } : {}) } : l));
  useLive(
    PROFILE_EVENTS,
    (e) => {
      if (e.data.id !== id) return;
      if (e.name === 'profile.deleted') announce(GONE);
      else announce(e.data.version, e.data);
    },
    () =>
      void current(id).then(
        (p) => announce(p ? p.version : GONE),
        () => {},
      ),
  );

  const { profile } = loaded;
  const { draft, busy } = edits;
  const dirty = mayChange && !!profile && !!draft && !sameFields(draft, fieldsOf(profile));
  const behind = !!profile && latest.version > profile.version;

  // biome-ignore lint/correctness/useExhaustiveDependencies: run when there is something to catch up with, or the edits change that
  useEffect(() => {
    if (!behind || busy || !profile) return;
    let live = true;
    const told = !mayChange && latest.change ? changedProfile(profile, latest.change) : undefined;
    (told ? Promise.resolve(told) : current(id))
      .then((theirs) => live && catchUp(profile, theirs, { loaded, edits, mayChange, dirty }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [behind, busy, dirty, latest, profile?.version]);
}

/** What the page does with their version: show it, or (over edits it touches) offer it. */
function catchUp(
  shown: Profile,
  theirs: Profile | undefined,
  {
    loaded,
    edits,
    mayChange,
    dirty,
  }: { loaded: Loaded; edits: ProfileEdits; mayChange: boolean; dirty: boolean },
) {
  if (!theirs) return void loaded.load(); // shows "not found"
  if (theirs.version <= shown.version) return;
  const touched = fieldsDiffer(shown, theirs);
  if (dirty && touched && edits.draft) {
    edits.setNotice(undefined);
    return edits.offer(theirs, changesFrom(fieldsOf(shown), edits.draft));
  }
  loaded.setProfile(theirs);
  if (!touched) return;
  if (mayChange) edits.resetForm();
  edits.setNotice(`Changed elsewhere just now: this is version ${theirs.version}.`, theirs.version);
}
