import type { ListQuery, ProfileInput } from '../api/schemas/profile.js';
import type { ProfileCache } from '../cache/profile-cache.js';
import { ERRORS } from '../errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { isUuid, newId } from '../lib/ids.js';
import type { Profile, ProfileChanges, ProfileRepository, WriteOutcome } from '../repository/profiles.js';

type Deps = {
  repo: Pick<ProfileRepository, 'insert' | 'findById' | 'list' | 'update' | 'delete'>;
  cache: Pick<ProfileCache, 'get' | 'stored' | 'updated' | 'removed'>;
  clock?: () => Date;
};

/** A profile as served by GET: its serialised JSON (straight from the cache on a hit) and version. */
export type ServedProfile = { json: string; version: number; source: 'cache' | 'db' };

export type ListPage = { items: Profile[]; next: string | undefined };

export const DEFAULT_PAGE_SIZE = 20;

/** A malformed id cannot name a stored profile: answer 404 without asking the database. */
function checkId(id: string): void {
  if (!isUuid(id)) throw ERRORS.notFound('profile');
}

/** An If-Match naming no version we issued (null) must never match: no version is -1. */
const expectation = (v: number | null | undefined) => (v === null ? -1 : v);

function unwrap<T>(outcome: WriteOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.reason === 'not_found') throw ERRORS.notFound('profile');
  throw ERRORS.preconditionFailed(
    'The profile has changed since it was read (If-Match does not match its ETag)',
  );
}

export function createProfileService({ repo, cache, clock = () => new Date() }: Deps) {
  // Concurrent misses for one id share one database read (and one cache fill) per instance.
  type Loaded = { json: string; version: number } | undefined;
  const loading = new Map<string, Promise<Loaded>>();
  function load(id: string): Promise<Loaded> {
    let pending = loading.get(id);
    if (!pending) {
      const started = (async (): Promise<Loaded> => {
        const profile = await repo.findById(id);
        if (!profile) return undefined;
        const json = JSON.stringify(profile);
        await cache.stored(profile, json);
        return { json, version: profile.version };
      })().finally(() => {
        if (loading.get(id) === started) loading.delete(id);
      });
      loading.set(id, started);
      pending = started;
    }
    return pending;
  }
  // A read that starts after a write must not join a load that began before it.
  const forget = (id: string) => loading.delete(id);

  return {
    async create(input: ProfileInput): Promise<Profile> {
      const profile = await repo.insert({
        id: newId(),
        name: input.name,
        email: input.email,
        bio: input.bio ?? '',
        now: clock(),
      });
      await cache.stored(profile);
      return profile;
    },

    async get(id: string): Promise<ServedProfile> {
      checkId(id);
      const hit = await cache.get(id);
      if (hit) return { ...hit, source: 'cache' };
      const loaded = await load(id);
      if (!loaded) throw ERRORS.notFound('profile');
      return { ...loaded, source: 'db' };
    },

    async list(query: ListQuery): Promise<ListPage> {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const q = query.q?.trim() || undefined;
      // One extra row tells whether another page exists without a COUNT.
      const rows = await repo.list({ limit: limit + 1, after, q });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const next =
        rows.length > limit && last
          ? encodeCursor({ createdAt: new Date(last.created_at), id: last.id })
          : undefined;
      return { items, next };
    },

    /** `expectedVersion`: null means an If-Match that names no version this server issued. */
    async update(id: string, changes: ProfileChanges, expectedVersion?: number | null): Promise<Profile> {
      checkId(id);
      forget(id);
      const profile = unwrap(await repo.update(id, changes, expectation(expectedVersion), clock()));
      await cache.updated(profile);
      return profile;
    },

    async remove(id: string, expectedVersion?: number | null): Promise<Profile> {
      checkId(id);
      forget(id);
      const profile = unwrap(await repo.delete(id, expectation(expectedVersion), newId()));
      await cache.removed(id);
      return profile;
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
