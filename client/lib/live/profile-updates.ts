// How a profile change from the stream updates what a page shows. Pure. A version orders changes:
// whatever arrives late (an event behind a fresher read, or a read behind an event) is dropped.
import type { Profile } from '@/lib/api';
import type { ProfileChange } from './events';

/** The profile a change makes of what was known: its public fields anew, its email as known. */
export function changedProfile(known: Profile | undefined, change: ProfileChange): Profile {
  const { time: _, ...fields } = change;
  return { ...known, ...fields };
}

/** As the API searches: `q` anywhere in the name, or in the email where the viewer sees it. */
const matches = (p: Profile, q: string) =>
  !q || [p.name, p.email ?? ''].some((s) => s.toLowerCase().includes(q.toLowerCase()));

/**
 * A page of the list with `profile` in it: a newer version replaces the one shown; a profile not
 * shown is added on top (the list is newest first) only when `created` on the first page and it
 * matches the search.
 */
export function withProfile(
  items: Profile[],
  profile: Profile,
  where: { created: boolean; firstPage: boolean; q: string },
): Profile[] {
  const i = items.findIndex((p) => p.id === profile.id);
  const shown = items[i];
  if (shown) return profile.version > shown.version ? items.with(i, { ...shown, ...profile }) : items;
  return where.created && where.firstPage && matches(profile, where.q) ? [profile, ...items] : items;
}

export const withoutProfile = (items: Profile[], id: string) => items.filter((p) => p.id !== id);

/** A page read again, keeping any profile an event has since brought further than the read. */
export const fresherOf = (read: Profile[], shown: Profile[]) =>
  read.map((r) => {
    const s = shown.find((p) => p.id === r.id);
    return s && s.version > r.version ? s : r;
  });
