import pg from 'pg';
import type { Database, PoolStats, Queryable, QueryObserver, Reader, Row } from './database.js';
import { boundedReadsOver, isUnreachable, transactionOver, withTimeout } from './database.js';

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
    try {
      return await fn({ query: queryOn(client, observe) });
    } catch (err) {
      // It may hold session state (locks, an open transaction).
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
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
  const query = onPrimary.query;
  const routed = replica ? replicaReader(replica, onPrimary, opts) : undefined;
  const reader: Reader = routed ? routed.reader : onPrimary;

  const session = sessionOn(primary, opts.observe);

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
      // A dedicated connection: LISTEN lives as long as its session. It comes back after a drop.
      const open = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: opts.uri, application_name: 'profile-service-listen' });
        c.on('notification', () => onNotify());
        c.on('error', (err) => {
          opts.onError(err, 'listen');
          client = undefined;
          c.end().catch(() => {});
          if (!stopped) setTimeout(() => void open().catch(() => {}), 1000).unref();
        });
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        if (stopped) await c.end();
        else client = c;
      };
      await open();
      return async () => {
        stopped = true;
        await client?.end().catch(() => {});
      };
    },
    ping: async (timeoutMs) => {
      await withTimeout(primary.query('SELECT 1'), timeoutMs, 'database ping');
    },
    stats: () =>
      replica ? [stats(primary, 'primary'), stats(replica, 'replica')] : [stats(primary, 'primary')],
    close: async () => {
      routed?.stop();
      await Promise.all([primary.end(), replica?.end()]);
    },
  };
}
