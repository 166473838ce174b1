// The cache and the rate limits on a Redis Cluster (three masters of this machine's redis-server):
// the FIFO scripts run whole on one node because every key they touch carries the prefix's `{…}`
// hash tag, while the rate-limit counts, untagged, spread over the slots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Cluster, Cluster as IORedisCluster, Redis } from 'ioredis';
import { createRedisStore } from '../../src/cache/redis-store.js';
import { testApp } from '../kit/app.js';
import { adminToken } from '../kit/identity.js';
import { globEscaped, scanKeys } from '../kit/redis.js';
import { type RedisCluster, redisCli, redisServer, startRedisCluster } from '../kit/redis-cluster.js';
import { uniquePrefix } from '../kit/services.js';
import { anySkip } from '../kit/tools.js';
import { cacheStoreSuite } from '../suites/cache-store.suite.js';

const skip = anySkip(redisServer, redisCli);

/** Every key of `pattern` on each master, by node. */
const keysByNode = (client: Cluster, pattern: string): Promise<string[][]> =>
  Promise.all(client.nodes('master').map((node) => scanKeys(node, pattern)));

describe('Redis Cluster', { skip }, () => {
  let cluster: RedisCluster;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  after(() => cluster?.stop());

  it('is three masters sharing the 16384 slots', async () => {
    const [host, port] = (cluster.nodes[0] as string).split(':');
    const one = new Redis({ host, port: Number(port) });
    try {
      const info = String(await one.cluster('INFO'));
      assert.match(info, /cluster_state:ok/);
      assert.match(info, /cluster_slots_assigned:16384/);
      assert.match(info, /cluster_known_nodes:3/);
    } finally {
      one.disconnect();
    }
  });

  cacheStoreSuite('Redis Cluster', async (capacity, opts) => {
    const prefix = uniquePrefix('cluster');
    const store = createRedisStore({
      address: cluster.address,
      cluster: true,
      db: 0,
      prefix,
      capacity,
      ...opts,
      commandTimeoutMs: 2000,
    });
    await new Promise<void>((resolve) => store.client.once('ready', () => resolve()));
    const client = store.client as Cluster;
    const entryKeys = async () => (await keysByNode(client, `${globEscaped(prefix)}e:*`)).flat();
    return {
      store,
      entryIds: async () => (await entryKeys()).map((k) => k.slice(`${prefix}e:`.length)),
      expiryIds: () => store.client.zrange(`${prefix}expiry`, '0', '-1'),
      dispose: async () => {
        await store.clear();
        await store.close();
      },
    };
  });

  it('the service on the cluster: cached reads, FIFO keys on one node, rate-limit counts across nodes', async (ctx) => {
    const prefix = uniquePrefix('cluster-app');
    const t = await testApp(ctx, {
      env: {
        REDIS_ADDRESS: cluster.address,
        REDIS_CLUSTER: 'true',
        CACHE_KEY_PREFIX: prefix,
        CACHE_TIMEOUT: '2s',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_READ: '1000/1m',
      },
      caller: 'as-given',
    });
    const admin = { authorization: `Bearer ${await adminToken()}` };
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        headers: admin,
        payload: { name: `Cluster ${i}`, email: `cluster.${i}.${prefix.length}@example.com` },
      });
      assert.equal(created.statusCode, 201, created.body);
      ids.push((created.json() as { id: string }).id);
    }
    // Anonymous reads from twelve addresses: a rate-limit count per address, each key on its slot.
    for (let i = 0; i < 12; i++) {
      const id = ids[i % ids.length] as string;
      const remoteAddress = `10.0.0.${i + 1}`;
      const first = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${id}`, remoteAddress });
      const second = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${id}`, remoteAddress });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(second.headers['x-cache'], 'HIT', 'the second read comes from the cluster');
      assert.equal(second.body, first.body);
      assert.match(String(second.headers.ratelimit), /^"read";r=998;t=\d+$/, 'counted, per address');
    }
    const client = new IORedisCluster(
      cluster.nodes.map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) })),
    );
    try {
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      const cacheKeys = await keysByNode(client, `${globEscaped(prefix)}*`);
      const holding = cacheKeys.filter((keys) => keys.length > 0);
      assert.equal(holding.length, 1, 'every cache key (entries, order, expiry) on one node');
      assert.ok((holding[0] as string[]).length >= ids.length, 'the entries are there');
      const rateKeys = await keysByNode(client, `${globEscaped(prefix.replace(/[{}]/g, ''))}rate:ip:*`);
      assert.equal(rateKeys.flat().length, 12, 'a count per address');
      assert.ok(rateKeys.filter((keys) => keys.length > 0).length > 1, 'the counts spread over the nodes');
    } finally {
      client.disconnect();
    }
  });
});
