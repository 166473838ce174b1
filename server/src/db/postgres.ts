import pg from 'pg';
import type { Database, PoolStats, Queryable, QueryObserver, Reader, Row } from './database.js';
import {
  boundedReadsOver,
  isUnreachable,
  transactionOver,
  UnconfirmedCommitError,
  withTimeout,
} from './database.js';

/** The warning of a commit whose wait for the synchronous standby was cancelled. */
const SYNC_WAIT_CANCELLED = /canceling (the )?wait for synchronous replication/;

export type PostgresOptions = {
  uri: string;
  readUri?: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
  onError: (err: Error, pool: string) => void;
  observe?: QueryObserver | undefined;
  /** Replica lag beyond which reads go to the primary; default 5 s. */
  readMaxLagMs?: number;
  /** How often the replica's reachability and lag are checked; default 1 s. */
  replicaCheckMs?: number;
  /** Told when reads move off the replica (why) and back. */
  onReplicaChange?: (usable: boolean, why?: string) => void;
};

// Seconds the replica is behind: 0 when it has replayed all it received, else the age of the last
// transaction it replayed. NULL on a primary (a misconfigured DB_READ_URI): treated as no lag.
const LAG_SQL = `SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag`;

/**
 * Reads that need no freshness go to the replica while it is reachable and no more than
 * `maxLagMs` behind; otherwise to the primary. A background check re-admits it.
 */
function replicaReader(
  replica: pg.Pool,
  primary: Reader,
  opts: PostgresOptions,
): { reader: Reader; stop(): void; usable(): boolean } {
  const maxLagMs = opts.readMaxLagMs ?? 5_000;
  const onReplica = readerOn(replica, opts.observe);
  let usable = true;
  const set = (next: boolean, why?: string) => {
    if (next !== usable) opts.onReplicaChange?.(next, why);
    usable = next;
  };
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const rows = await withTimeout(replica.query<{ lag: number }>(LAG_SQL), 1_000, 'replica lag check');
      const lagMs = (rows.rows[0]?.lag ?? 0) * 1000;
      set(lagMs <= maxLagMs, `replica is ${Math.round(lagMs)} ms behind (DB_READ_MAX_LAG ${maxLagMs} ms)`);
    } catch (err) {
      set(false, `replica unreachable: ${(err as Error).message}`);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), opts.replicaCheckMs ?? 1_000);
  timer.unref();
  void check();
  // On the replica while it is usable; on the primary when it is not, or stops answering.
  async function routed<T>(onReplicaRead: () => Promise<T>, onPrimary: () => Promise<T>): Promise<T> {
    if (!usable) return onPrimary();
    try {
      return await onReplicaRead();
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      set(false, `replica unreachable: ${(err as Error).message}`);
      return onPrimary();
    }
  }
  return {
    usable: () => usable,
    stop: () => clearInterval(timer),
    reader: {
      query: (text, values, name) =>
        routed(
          () => onReplica.query(text, values, name),
          () => primary.query(text, values, name),
        ),
      within: (ms, fn) =>
        routed(
          () => onReplica.within(ms, fn),
          () => primary.within(ms, fn),
        ),
    },
  };
}

/** Reads on a pool, one at a time or bounded together in a transaction of their own. */
function readerOn(pool: pg.Pool, observe: QueryObserver | undefined): Reader {
  return { query: queryOn(pool, observe), within: boundedReadsOver(sessionOn(pool, observe)) };
}

/** fn on one pinned connection of the pool; a connection that failed mid-session is discarded. */
function sessionOn(pool: pg.Pool, observe: QueryObserver | undefined): Database['session'] {
  return async (fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client is no longer watched by the pool: a connection lost between two of fn's
    // queries (a failover) would otherwise be an uncaught error. The next query fails instead.
    const lost = (err: Error) => {
      broken ??= err;
    };
    client.on('error', lost);
    // A cancel that interrupts a commit's wait for the synchronous standby leaves it committed here
    // but maybe not on the standby, with only a warning: not an acknowledgement.
    let unconfirmed = false;
    const warned = (notice: { message?: string }) => {
      if (SYNC_WAIT_CANCELLED.test(notice.message ?? '')) unconfirmed = true;
    };
    client.on('notice', warned);
    const onClient = queryOn(client, observe);
    try {
      return await fn({
        query: async <T extends Row>(text: string, values?: readonly unknown[], name?: string) => {
          const rows = await onClient<T>(text, values, name);
          if (unconfirmed) throw new UnconfirmedCommitError();
          return rows;
        },
      });
    } catch (err) {
      // It may hold session state (locks, an open transaction).
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.off('error', lost);
      client.off('notice', warned);
      client.release(broken);
    }
  };
}

type Client = Pick<pg.PoolClient, 'query'>;

function queryOn(client: Client, observe: QueryObserver | undefined): Queryable['query'] {
  return async <T extends Row>(text: string, values: readonly unknown[] = [], name?: string) => {
    const start = performance.now();
    let ok = false;
    try {
      const res = await client.query<T>(
        name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] },
      );
      ok = true;
      return res.rows;
    } finally {
      observe?.(name ?? 'sql', (performance.now() - start) / 1000, ok);
    }
  };
}

function makePool(uri: string, name: string, opts: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: uri,
    max: opts.poolMax,
    statement_timeout: opts.statementTimeoutMs,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? 'profile-service',
  });
  // Without a listener an idle client's network error would crash the process.
  pool.on('error', (err) => opts.onError(err, name));
  return pool;
}

export function createPostgresDatabase(opts: PostgresOptions): Database {
  const primary = makePool(opts.uri, 'primary', opts);
  const replica =
    opts.readUri && opts.readUri !== opts.uri ? makePool(opts.readUri, 'replica', opts) : undefined;
  const onPrimary = readerOn(primary, opts.observe);
  const routed = replica ? replicaReader(replica, onPrimary, opts) : undefined;
  const reader: Reader = routed ? routed.reader : onPrimary;

  const session = sessionOn(primary, opts.observe);
  // A statement of its own commits too (and may wait for the standby): on a session, which watches
  // for the warning of an unconfirmed commit.
  const query: Queryable['query'] = (text, values, name) => session((s) => s.query(text, values, name));

  const stats = (pool: pg.Pool, name: string): PoolStats => ({
    pool: name,
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: opts.poolMax,
  });

  return {
    kind: 'postgres',
    reader,
    query,
    session,
    transaction: transactionOver(session),
    listen: async (channel, onNotify) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
      let client: pg.Client | undefined;
      let stopped = false;
      // Once opened, never before: a first open that fails is the caller's error to handle.
      let established = false;
      // A dedicated connection: LISTEN lives as long as its session. After a drop it is opened
      // again each second until that works (a failover takes several).
      const open = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: opts.uri, application_name: 'profile-service-listen' });
        let retired = false;
        const retire = (err: Error) => {
          if (retired) return;
          retired = true;
          opts.onError(err, 'listen');
          if (client === c) client = undefined;
          c.end().catch(() => {});
          if (established && !stopped) setTimeout(() => void open().catch(() => {}), 1000).unref();
        };
        c.on('notification', () => onNotify());
        c.on('error', retire);
        try {
          await c.connect();
          await c.query(`LISTEN ${channel}`);
        } catch (err) {
          retire(err as Error);
          throw err;
        }
        if (stopped) await c.end();
        else {
          client = c;
          established = true;
        }
      };
      await open();
      return async () => {
        stopped = true;
        await client?.end().catch(() => {});
      };
    },
    // Ready means writable: after a failover DB_URI may lead to the demoted primary, now a standby
    // (where every transaction is read-only).
    ping: async (timeoutMs) => {
      const res = await withTimeout(
        primary.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro"),
        timeoutMs,
        'database ping',
      );
      if (res.rows[0]?.ro === 'on') throw new Error('DB_URI leads to a read-only server (a standby?)');
    },
    stats: () =>
      replica ? [stats(primary, 'primary'), stats(replica, 'replica')] : [stats(primary, 'primary')],
    close: async () => {
      routed?.stop();
      await Promise.all([primary.end(), replica?.end()]);
    },
  };
}
