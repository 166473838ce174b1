// What a viewer sees of a profile. Everyone sees its public fields; its email only its owner and
// admins. The cache holds both representations of a version with the owner beside them, so a hit
// is one round trip and the right one is picked without parsing anything.
import type { Profile } from '../api/schemas/profile.js';
import { isAdmin, type Principal } from '../auth/principal.js';

/** A profile as stored: every field, and the subject that owns it (none: only admins change it). */
export type ProfileRecord = Omit<Profile, 'email'> & { email: string; owner: string | null };

export const mayChange = (viewer: Principal, owner: string | null): boolean =>
  isAdmin(viewer) || (viewer.kind === 'user' && owner !== null && viewer.sub === owner);

/** The owner and admins see the full representation; everyone else the public one. */
export const seesPrivate = mayChange;

export function publicView(r: ProfileRecord): Profile {
  return {
    id: r.id,
    name: r.name,
    bio: r.bio,
    image_urls: r.image_urls,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export function fullView(r: ProfileRecord): Profile {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    bio: r.bio,
    image_urls: r.image_urls,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export const viewFor = (viewer: Principal, r: ProfileRecord): Profile =>
  seesPrivate(viewer, r.owner) ? fullView(r) : publicView(r);

/** The cache's value for a version: owner, public JSON, full JSON (JSON never holds a raw newline). */
export function encodeCached(r: ProfileRecord): string {
  return `${JSON.stringify(r.owner)}\n${JSON.stringify(publicView(r))}\n${JSON.stringify(fullView(r))}`;
}

export type CachedViews = { owner: string | null; publicJson: string; fullJson: string };

export function decodeCached(value: string): CachedViews | undefined {
  const a = value.indexOf('\n');
  const b = value.indexOf('\n', a + 1);
  if (a < 0 || b < 0) return undefined;
  const owner = JSON.parse(value.slice(0, a)) as unknown;
  if (owner !== null && typeof owner !== 'string') return undefined;
  return { owner, publicJson: value.slice(a + 1, b), fullJson: value.slice(b + 1) };
}
