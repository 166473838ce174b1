import pg from 'pg';
import type { Database, PoolStats, Queryable, QueryObserver, Row } from './database.js';
import { transactionOver, withTimeout } from './database.js';

export type PostgresOptions = {
  uri: string;
  readUri?: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
  onError: (err: Error, pool: string) => void;
  observe?: QueryObserver | undefined;
};

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
  const query = queryOn(primary, opts.observe);
  const reader: Queryable = replica ? { query: queryOn(replica, opts.observe) } : { query };

  async function session<T>(fn: (s: Queryable) => Promise<T>): Promise<T> {
    const client = await primary.connect();
    let broken: Error | undefined;
    try {
      return await fn({ query: queryOn(client, opts.observe) });
    } catch (err) {
      // A connection that failed mid-session may hold session state (locks, an open transaction): discard it.
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }

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
      await Promise.all([primary.end(), replica?.end()]);
    },
  };
}
