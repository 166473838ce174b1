import { AppError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { isUuid, newId } from '../lib/ids.js';
import type { Profile, ProfileChanges, ProfileRepository, WriteOutcome } from '../repository/profiles.js';

type Deps = {
  repo: Pick<ProfileRepository, 'insert' | 'findById' | 'list' | 'update' | 'delete'>;
  clock?: () => Date;
};

export type ProfileInput = { name: string; email: string; bio?: string | undefined };
export type ListQuery = { limit?: number | undefined; cursor?: string | undefined; q?: string | undefined };
export type ListPage = { items: Profile[]; next: string | undefined };

export const DEFAULT_PAGE_SIZE = 20;

/** A malformed id cannot name a stored profile: answer 404 without asking the database. */
function checkId(id: string): void {
  if (!isUuid(id)) throw notFound('profile');
}

/** An If-Match naming no version we issued (null) must never match: no version is -1. */
const expectation = (v: number | null | undefined) => (v === null ? -1 : v);

function unwrap<T>(outcome: WriteOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.reason === 'not_found') throw notFound('profile');
  throw new AppError(
    'precondition_failed',
    'The profile has changed since it was read (If-Match does not match its ETag)',
  );
}

export function createProfileService({ repo, clock = () => new Date() }: Deps) {
  return {
    async create(input: ProfileInput): Promise<Profile> {
      return repo.insert({
        id: newId(),
        name: input.name,
        email: input.email,
        bio: input.bio ?? '',
        now: clock(),
      });
    },

    async get(id: string): Promise<{ profile: Profile; source: 'cache' | 'db' }> {
      checkId(id);
      const profile = await repo.findById(id);
      if (!profile) throw notFound('profile');
      return { profile, source: 'db' };
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
      return unwrap(await repo.update(id, changes, expectation(expectedVersion), clock()));
    },

    async remove(id: string, expectedVersion?: number | null): Promise<Profile> {
      checkId(id);
      return unwrap(await repo.delete(id, expectation(expectedVersion)));
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
