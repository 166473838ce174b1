import type { Database, Queryable } from '../db/database.js';
import { ERRORS } from '../errors.js';
import { pruneBatch } from './prune.js';

/** A response as it is kept for replay: what a retry must see again. */
export type StoredResponse = {
  status: number;
  /** Only the headers that describe the outcome (Location, ETag, Content-Type). */
  headers: Record<string, string>;
  body: string;
};

/**
 * Stores a request's answer inside the transaction of its effect (given the effect's result), so the
 * two commit together or not at all.
 */
export type Seal<T> = (tx: Queryable, result: T) => Promise<void>;

/** Whose key it is, which key, and the token that fences this holder's claim. */
export type Claim = { sub: string; key: string; token: string };

export type ClaimOutcome =
  | { kind: 'owned' }
  | { kind: 'completed'; requestHash: string; response: StoredResponse }
  | { kind: 'in_progress'; requestHash: string; retryAfterSeconds: number };

type KeyRow = {
  request_hash: string;
  state: 'in_progress' | 'completed';
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  retry_after: number;
};

const secs = (param: string) => `make_interval(secs => ${param}::float8 / 1000)`;

export function createIdempotencyRepository(db: Pick<Database, 'query'>) {
  /**
   * One statement, so two instances racing on a key are ordered by the primary key: the first inserts,
   * the other waits for its commit and then sees its claim. A key older than the TTL (not yet pruned)
   * is claimed afresh; an abandoned claim (its lease passed) is taken over by the same request only.
   */
  async function tryClaim(c: Claim, hash: string, leaseMs: number, ttlMs: number): Promise<boolean> {
    const rows = await db.query<{ token: string }>(
      `INSERT INTO idempotency_keys (owner_sub, key, request_hash, token, state, lease_until, created_at)
       VALUES ($1, $2, $3, $4, 'in_progress', now() + ${secs('$5')}, now())
       ON CONFLICT (owner_sub, key) DO UPDATE SET
         request_hash = EXCLUDED.request_hash, token = EXCLUDED.token, state = 'in_progress',
         lease_until = EXCLUDED.lease_until, status = NULL, headers = NULL, body = NULL,
         created_at = CASE WHEN idempotency_keys.created_at < now() - ${secs('$6')}
                           THEN now() ELSE idempotency_keys.created_at END
       WHERE idempotency_keys.created_at < now() - ${secs('$6')}
          OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.lease_until < now()
              AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING token`,
      [c.sub, c.key, hash, c.token, leaseMs, ttlMs],
      'idempotency_claim',
    );
    return rows[0]?.token === c.token;
  }

  async function read(c: Claim): Promise<KeyRow | undefined> {
    const rows = await db.query<KeyRow>(
      `SELECT request_hash, state, status, headers, body,
              GREATEST(1, ceil(extract(epoch FROM lease_until - now())))::int AS retry_after
       FROM idempotency_keys WHERE owner_sub = $1 AND key = $2`,
      [c.sub, c.key],
      'idempotency_read',
    );
    return rows[0];
  }

  async function write(q: Queryable, c: Claim, r: StoredResponse): Promise<boolean> {
    const rows = await q.query(
      `UPDATE idempotency_keys SET state = 'completed', status = $4, headers = $5::jsonb, body = $6
       WHERE owner_sub = $1 AND key = $2 AND token = $3 AND state = 'in_progress' RETURNING 1`,
      [c.sub, c.key, c.token, r.status, JSON.stringify(r.headers), r.body],
      'idempotency_complete',
    );
    return rows.length > 0;
  }

  return {
    /** Claims the key for this request, or says what holds it (a stored response, a live claim). */
    async claim(c: Claim, hash: string, leaseMs: number, ttlMs: number): Promise<ClaimOutcome> {
      // Twice at most: a row pruned between the claim and the read is claimed on the second turn.
      for (let turn = 0; turn < 2; turn++) {
        if (await tryClaim(c, hash, leaseMs, ttlMs)) return { kind: 'owned' };
        const row = await read(c);
        if (!row) continue;
        if (row.state === 'in_progress') {
          return { kind: 'in_progress', requestHash: row.request_hash, retryAfterSeconds: row.retry_after };
        }
        const response = { status: row.status ?? 500, headers: row.headers ?? {}, body: row.body ?? '' };
        return { kind: 'completed', requestHash: row.request_hash, response };
      }
      throw new Error('idempotency key neither claimed nor found');
    },

    /**
     * Records the response inside the effect's transaction. A claim taken over meanwhile (this holder
     * outlived its lease) matches nothing: the throw rolls the effect back, so it happens once.
     */
    async complete(tx: Queryable, c: Claim, r: StoredResponse): Promise<void> {
      if (!(await write(tx, c, r))) throw ERRORS.idempotencyKeyInUse('was taken over by a retry');
    },

    /** Records a response that had no effect to commit with (a refusal, a duplicate upload). */
    async record(c: Claim, r: StoredResponse): Promise<void> {
      await write(db, c, r);
    },

    /** Gives the key up (a 5xx, a refusal): the next request with it runs afresh. */
    async release(c: Claim): Promise<void> {
      await db.query(
        `DELETE FROM idempotency_keys WHERE owner_sub = $1 AND key = $2 AND token = $3 AND state = 'in_progress'`,
        [c.sub, c.key, c.token],
        'idempotency_release',
      );
    },

    /** Deletes keys first claimed before `before`, `limit` at a time. */
    async pruneOlder(before: Date, limit: number): Promise<number> {
      return pruneBatch(
        db,
        'idempotency_prune',
        `DELETE FROM idempotency_keys WHERE (owner_sub, key) IN (
           SELECT owner_sub, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2
         )`,
        before,
        limit,
      );
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
