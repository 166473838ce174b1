import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { FIFO_CLEAR, FIFO_REMOVE, FIFO_SET, FIFO_SIZE } from './redis-scripts.js';
import { type CacheStore, GUARD_MS, type SetResult } from './store.js';

type Scripts = {
  fifoSet(...args: (string | number)[]): Promise<[number, number, number, number]>;
  fifoRemove(...args: (string | number)[]): Promise<number>;
  fifoSize(...args: (string | number)[]): Promise<number>;
  fifoClear(...args: (string | number)[]): Promise<number>;
};

export type RedisStoreOptions = {
  address: string;
  password?: string | undefined;
  db: number;
  /** Namespace of every key; keep the `{…}` hash tag so the keys share one cluster slot. */
  prefix: string;
  capacity: number;
  /** How long an evicted entry's version still guards its id (default GUARD_MS). */
  floorMs?: number;
  /** Per-command bound; a slow or silent Redis fails fast instead of holding requests. */
  commandTimeoutMs: number;
  /** A Redis Cluster: `address` lists seed nodes (the `{…}` tag keeps each script on one slot). */
  cluster?: boolean;
  onConnectionError?: (err: Error) => void;
  onReady?: () => void;
};

/** One Redis, or a Redis Cluster reached through its seed nodes: the commands used are the same. */
export type RedisClient = Redis | Cluster;

export function createRedisClient(
  opts: Pick<RedisStoreOptions, 'address' | 'password' | 'db' | 'commandTimeoutMs'> & { cluster?: boolean },
): RedisClient {
  const options: RedisOptions = {
    password: opts.password,
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: 1000,
    // Commands issued while disconnected fail at once instead of queueing behind the reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // Commands issued in the same tick (a cache read and a rate-limit count of concurrent requests)
    // go out in one write; their order on the connection is kept.
    enableAutoPipelining: true,
  };
  const nodes = opts.address.split(',').map((a) => {
    const [host, port] = a.split(':');
    return { host: host as string, port: Number(port) };
  });
  if (!opts.cluster) return new Redis({ ...nodes[0], db: opts.db, ...options });
  return new Cluster(nodes, {
    redisOptions: options,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
}

export function createRedisStore(opts: RedisStoreOptions): CacheStore & { client: RedisClient } {
  const client = createRedisClient(opts);
  client.on('error', (err) => opts.onConnectionError?.(err));
  client.on('ready', () => opts.onReady?.());
  client.defineCommand('fifoSet', { numberOfKeys: 3, lua: FIFO_SET });
  client.defineCommand('fifoRemove', { numberOfKeys: 3, lua: FIFO_REMOVE });
  client.defineCommand('fifoSize', { numberOfKeys: 3, lua: FIFO_SIZE });
  client.defineCommand('fifoClear', { numberOfKeys: 3, lua: FIFO_CLEAR });
  const scripts = client as unknown as Scripts;

  const p = opts.prefix;
  const keys = [`${p}order`, `${p}expiry`, `${p}seq`];
  const entryPrefix = `${p}e:`;
  const tombPrefix = `${p}t:`;
  const floorPrefix = `${p}f:`;
  const floorMs = opts.floorMs ?? GUARD_MS;

  return {
    kind: 'redis',
    client,
    get: (id) => client.get(entryPrefix + id),
    async set(id, version, value, ttlMs): Promise<SetResult> {
      const [stored, evicted, expired, size] = await scripts.fifoSet(
        ...keys,
        entryPrefix,
        tombPrefix,
        id,
        version,
        value,
        ttlMs,
        opts.capacity,
        floorPrefix,
        floorMs,
      );
      return { stored: stored === 1, evicted, expired, size };
    },
    async remove(id, tombstoneMs) {
      await scripts.fifoRemove(...keys, entryPrefix, tombPrefix, id, tombstoneMs);
    },
    size: () => scripts.fifoSize(...keys, entryPrefix),
    async clear() {
      await scripts.fifoClear(...keys, entryPrefix);
    },
    order: () => client.zrange(`${p}order`, '0', '-1'),
    connected: () => client.status === 'ready',
    async close() {
      client.disconnect();
    },
  };
}
