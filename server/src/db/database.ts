export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs parameterised SQL. `name` makes it a prepared statement where the driver supports it. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[], name?: string): Promise<T[]>;
}

/** Reads that tolerate replica lag. */
export interface Reader extends Queryable {
  /**
   * Runs fn's reads in one read-only transaction that the database cancels after `timeoutMs`
   * (SQLSTATE 57014); fn may SET LOCAL planner settings for them. The embedded engine cannot cancel
   * a statement: there the reads are not bounded in time.
   */
  within<T>(timeoutMs: number, fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export type PoolStats = { pool: string; total: number; idle: number; waiting: number; max: number };

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Reads that can tolerate replica lag; the primary when no replica is configured. */
  readonly reader: Reader;
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs fn on one pinned connection (session-level state such as advisory locks). */
  session<T>(fn: (session: Queryable) => Promise<T>): Promise<T>;
  ping(timeoutMs: number): Promise<void>;
  /** LISTEN on a channel (on a connection of its own); resolves to the UNLISTEN. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  stats(): PoolStats[];
  close(): Promise<void>;
}

/** Called after every query with its statement name (or "sql") and duration in seconds. */
export type QueryObserver = (name: string, seconds: number, ok: boolean) => void;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A commit PostgreSQL made locally without the synchronous standby's confirmation (its wait was
 * cancelled, e.g. by an operator's pg_cancel_backend; the statement timeout does not reach that
 * wait): it may not survive a failover, so it is not acknowledged. The client retries it; under an
 * Idempotency-Key the retry replays it if it did survive.
 */
export class UnconfirmedCommitError extends Error {
  constructor() {
    super('the commit was not confirmed by a synchronous standby');
    this.name = 'UnconfirmedCommitError';
  }
}

/** SQLSTATE of a driver error (pg and PGlite both expose `code`), if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection terminated|timeout exceeded when trying to connect|database closed|encountered a connection error and is not queryable/;

/**
 * Whether an error means the database cannot be reached, refuses connections or is going away (a
 * connection-class SQLSTATE, an admin shutdown, too many connections, a socket error), as opposed to a
 * bad query. Both drivers' errors qualify.
 */
export function isUnreachable(err: unknown): boolean {
  const state = sqlState(err);
  if (state?.startsWith('08') || state === '53300') return true;
  // Shut down by an administrator, after another backend crashed, or starting up / shutting down.
  if (state === '57P01' || state === '57P02' || state === '57P03') return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  return (typeof e?.code === 'string' && UNREACHABLE.test(e.code)) || UNREACHABLE.test(String(e?.message));
}

export function constraintOf(err: unknown): string | undefined {
  const c = (err as { constraint?: unknown } | null)?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** BEGIN/COMMIT around fn on one session; ROLLBACK when fn throws. Shared by both drivers. */
export function transactionOver(session: Database['session'], begin = 'BEGIN'): Database['transaction'] {
  return (fn) =>
    session(async (s) => {
      await s.query(begin);
      try {
        const result = await fn(s);
        await s.query('COMMIT');
        return result;
      } catch (err) {
        await s.query('ROLLBACK').catch(() => {});
        throw err;
      }
    });
}

/** Reader.within over a session: a read-only transaction whose statements time out. */
export function boundedReadsOver(session: Database['session']): Reader['within'] {
  const transaction = transactionOver(session, 'BEGIN READ ONLY');
  return (timeoutMs, fn) =>
    transaction(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      return fn(tx);
    });
}
