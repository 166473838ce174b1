import { useEffect, useRef, useState } from 'react';
import { type ApiError, api, nextCursor, type Profile } from '@/lib/api';
import { PROFILE_EVENTS } from '@/lib/live/events';
import { useLive } from '@/lib/live/live-context';
import { changedProfile, fresherOf, withoutProfile, withProfile } from '@/lib/live/profile-updates';
import { useLiveState } from '@/lib/live/use-live-state';
import { useSession } from '@/lib/session-context';

const PAGE_SIZE = 20;

export type ProfilePage = { items: Profile[]; next: string | undefined };

type Change = (items: Profile[]) => Profile[];

const read = (q: string, cursor: string | undefined) =>
  api
    .get('/api/v1/profiles', { query: { limit: PAGE_SIZE, q: q || undefined, cursor: cursor || undefined } })
    .then(({ data, headers }): ProfilePage => ({ items: data, next: nextCursor(headers) }));

/**
 * One keyset page of the profiles matching `q`, from `cursor`, kept current by the event stream
 * (changed, deleted, and new ones on the first page); `retry()` reads it again.
 */
export function useProfilePage(q: string, cursor: string | undefined) {
  const admin = useSession().user?.admin ?? false;
  const [error, setError] = useState<ApiError | undefined>();
  const [reload, setReload] = useState(0);
  const page = useLiveState((p: ProfilePage, change: Change) => ({ ...p, items: change(p.items) }));
  const { reading, failed } = page;
  // Counts the reads begun: a resync's read is dropped if another page was asked for meanwhile.
  const asked = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the "Try again" trigger; `page.read` applies what was held
  useEffect(() => {
    let live = true;
    asked.current += 1;
    setError(undefined);
    reading();
    read(q, cursor)
      .then((p) => live && page.read(p))
      .catch((err: ApiError) => {
        if (!live) return;
        failed();
        setError(err);
      });
    return () => {
      live = false;
    };
  }, [q, cursor, reload, reading, failed]);

  const resync = () => {
    const mine = asked.current;
    read(q, cursor)
      .then((fresh) => {
        if (asked.current !== mine) return;
        page.setState((p) => p && { items: fresherOf(fresh.items, p.items), next: fresh.next });
      })
      .catch(() => {});
  };

  useLive(
    PROFILE_EVENTS,
    (e) => {
      if (e.name === 'profile.deleted') return page.event((items) => withoutProfile(items, e.data.id));
      const where = { created: e.name === 'profile.created', firstPage: !cursor, q };
      if (!admin) return page.event((items) => withProfile(items, changedProfile(undefined, e.data), where));
      // An admin's list shows emails, which events leave out: the profile is read for them.
      api
        .get('/api/v1/profiles/{id}', { path: { id: e.data.id } })
        .then(({ data }) => page.event((items) => withProfile(items, data, where)))
        .catch(() => {});
    },
    resync,
  );

  return { page: page.state, error, retry: () => setReload((n) => n + 1) };
}
