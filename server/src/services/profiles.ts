import type { ListQuery, Profile, ProfileInput } from '../api/schemas/profile.js';
import { isAdmin, type Principal } from '../auth/principal.js';
import type { ProfileCache } from '../cache/profile-cache.js';
import { ERRORS } from '../errors.js';
import { decodeCursor, keysetPage } from '../lib/cursor.js';
import { etagOf } from '../lib/etag.js';
import { isUuid, newId } from '../lib/ids.js';
import type { Seal } from '../repository/idempotency.js';
import type { ProfileSearch } from '../repository/profile-search.js';
import type {
  Actor,
  ProfileChanges,
  ProfileRecord,
  ProfileRepository,
  WriteOutcome,
} from '../repository/profiles.js';
import { type SearchGate, searchTerm } from './profile-search.js';
import { type CachedViews, decodeCached, encodeCached, seesPrivate, viewFor } from './profile-views.js';

type Deps = {
  repo: Pick<ProfileRepository, 'insert' | 'findById' | 'findByOwner' | 'list' | 'update' | 'delete'>;
  cache: Pick<ProfileCache, 'get' | 'stored' | 'updated' | 'removed'>;
  finder: Pick<ProfileSearch, 'search'>;
  searchGate: SearchGate;
  clock?: () => Date;
};

/** A profile as served by GET: the viewer's representation, serialised (as cached), and its ETag. */
export type ServedProfile = { json: string; etag: string; version: number; source: 'cache' | 'db' };

export type ListPage = { items: Profile[]; next: string | undefined };

export const DEFAULT_PAGE_SIZE = 20;

/** A malformed id cannot name a stored profile: answer 404 without asking the database. */
function checkId(id: string): void {
  if (!isUuid(id)) throw ERRORS.notFound('profile');
}

function unwrap<T>(outcome: WriteOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.reason === 'not_found') throw ERRORS.notFound('profile');
  if (outcome.reason === 'forbidden')
    throw ERRORS.forbidden('Only its owner or an admin may change this profile');
  throw ERRORS.preconditionFailed(
    'The profile has changed since it was read (If-Match does not match its ETag)',
  );
}

function actorOf(viewer: Principal): Actor {
  if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
  return viewer.admin ? { anyone: true } : { anyone: false, sub: viewer.sub };
}

/**
 * Who will own a new profile: an ordinary user always owns what they create; an admin names anyone,
 * or no one (null: a profile only admins change), which is also what an admin gets by default.
 */
function ownerFor(viewer: Principal, asked: string | null | undefined): string | null {
  if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
  if (viewer.admin) return asked ?? null;
  if (asked !== undefined && asked !== viewer.sub) {
    throw ERRORS.forbidden('Only an admin may create a profile for someone else');
  }
  return viewer.sub;
}

export function createProfileService({ repo, cache, finder, searchGate, clock = () => new Date() }: Deps) {
  // Concurrent misses for one id share one database read (and one cache fill) per instance.
  type Loaded = { value: string; version: number } | undefined;
  const loading = new Map<string, Promise<Loaded>>();
  function load(id: string): Promise<Loaded> {
    let pending = loading.get(id);
    if (!pending) {
      const started = (async (): Promise<Loaded> => {
        const profile = await repo.findById(id);
        if (!profile) return undefined;
        const value = encodeCached(profile);
        await cache.stored(profile, value);
        return { value, version: profile.version };
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

  /** The viewer's representation of a cached value, as it goes out. */
  function serve(
    viewer: Principal,
    views: CachedViews,
    version: number,
    source: 'cache' | 'db',
  ): ServedProfile {
    const full = seesPrivate(viewer, views.owner);
    return { json: full ? views.fullJson : views.publicJson, etag: etagOf(version, full), version, source };
  }

  return {
    /** `seal` stores the request's answer with the profile (under an Idempotency-Key). */
    async create(viewer: Principal, input: ProfileInput, seal?: Seal<ProfileRecord>): Promise<ProfileRecord> {
      const profile = await repo.insert(
        {
          id: newId(),
          name: input.name,
          email: input.email,
          bio: input.bio ?? '',
          owner: ownerFor(viewer, input.owner),
          now: clock(),
        },
        seal,
      );
      await cache.stored(profile);
      return profile;
    },

    async get(viewer: Principal, id: string): Promise<ServedProfile> {
      checkId(id);
      const hit = await cache.get(id);
      // A value in an older format (written before an upgrade) is read as a miss and replaced.
      const cached = hit && decodeCached(hit.json);
      if (hit && cached) return serve(viewer, cached, hit.version, 'cache');
      const loaded = await load(id);
      const views = loaded && decodeCached(loaded.value);
      if (!loaded || !views) throw ERRORS.notFound('profile');
      return serve(viewer, views, loaded.version, 'db');
    },

    /** The caller's own profile. */
    async mine(viewer: Principal): Promise<ProfileRecord> {
      if (viewer.kind !== 'user') throw ERRORS.unauthenticated();
      const profile = await repo.findByOwner(viewer.sub);
      if (!profile) throw ERRORS.notFound('profile of yours');
      return profile;
    },

    async list(viewer: Principal, query: ListQuery): Promise<ListPage> {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const q = searchTerm(query.q);
      // One extra row tells whether another page exists without a COUNT.
      const page = { limit: limit + 1, after };
      const rows = q
        ? await searchGate.run((timeoutMs) =>
            finder.search({ ...page, q, searchEmail: isAdmin(viewer), timeoutMs }),
          )
        : await repo.list(page);
      const { items, next } = keysetPage(rows, limit);
      return { items: items.map((p) => viewFor(viewer, p)), next };
    },

    /** `versions`: the profile must have one of them now (from If-Match; undefined: no condition). */
    async update(
      viewer: Principal,
      id: string,
      changes: ProfileChanges,
      versions?: readonly number[],
    ): Promise<ProfileRecord> {
      checkId(id);
      const actor = actorOf(viewer);
      forget(id);
      const profile = unwrap(await repo.update(id, actor, changes, versions, clock()));
      await cache.updated(profile);
      return profile;
    },

    async remove(viewer: Principal, id: string, versions?: readonly number[]): Promise<ProfileRecord> {
      checkId(id);
      const actor = actorOf(viewer);
      forget(id);
      const profile = unwrap(await repo.delete(id, actor, versions, newId()));
      await cache.removed(id);
      return profile;
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
