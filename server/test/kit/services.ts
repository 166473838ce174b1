import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import type { QueryObserver } from '../../src/db/database.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const inCi = process.env.CI === 'true';

/**
 * Why a real-service test cannot run, or undefined when it can. Under CI=true an unreachable service
 * is a failure, never a skip: this throws instead of returning a reason.
 */
async function unavailable(
  service: string,
  where: string,
  check: () => Promise<void>,
): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (err) {
    const reason = `${service} unreachable at ${where}: ${(err as Error).message}`;
    if (inCi) throw new Error(`${reason} (CI=true: a missing service is a failure)`);
    return reason;
  }
}

export function postgresUnavailable(): Promise<string | undefined> {
  return unavailable('PostgreSQL', PG_ADMIN_URL, async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  });
}

export type TestDatabase = { uri: string; name: string; drop(): Promise<void> };

/** A fresh, empty database on the real server for one test file; dropped afterwards. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    uri: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A fresh database for the tests of the enclosing describe: created before the first, dropped after
 * the last. Call it inside the describe; `uri` is readable from the tests (and later hooks) on.
 */
export function suiteDatabase(prefix: string): { readonly uri: string } {
  let db: TestDatabase | undefined;
  before(async () => {
    db = await createTestDatabase(prefix);
  });
  after(() => db?.drop());
  return {
    get uri() {
      if (!db) throw new Error('suiteDatabase: the database is not created yet (used outside a test?)');
      return db.uri;
    },
  };
}

export const REDIS_ADDRESS = process.env.TEST_REDIS_ADDRESS ?? '127.0.0.1:6379';

export function redisUnavailable(): Promise<string | undefined> {
  return unavailable('Redis', REDIS_ADDRESS, async () => {
    const { Redis } = await import('ioredis');
    const [host, port] = REDIS_ADDRESS.split(':');
    const client = new Redis({
      host,
      port: Number(port),
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

/** A key prefix no other test uses, with the hash tag the cache expects. */
export const uniquePrefix = (tag: string) =>
  `test:${tag}:${process.pid}:${randomBytes(3).toString('hex')}:{pc}:`;

/**
 * Key prefixes for the tests of the enclosing describe, each one no other test uses; the keys under
 * every prefix handed out are deleted after its last test.
 */
export function suitePrefixes(): (tag: string) => string {
  const made: string[] = [];
  after(() => Promise.all(made.map((p) => dropPrefix(p))));
  return (tag) => {
    const p = uniquePrefix(tag);
    made.push(p);
    return p;
  };
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function dropPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const [host, port] = REDIS_ADDRESS.split(':');
  const client = new Redis({ host, port: Number(port) });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[{}*?[\]]/g, '\\$&')}*`,
        'COUNT',
        500,
      );
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export const QUEUE_URI = process.env.TEST_QUEUE_URI ?? 'amqp://guest:guest@127.0.0.1:5672';

export function rabbitUnavailable(): Promise<string | undefined> {
  return unavailable('RabbitMQ', QUEUE_URI, async () => {
    const amqp = await import('amqplib');
    const conn = await amqp.connect(QUEUE_URI, { timeout: 3000 });
    await conn.close();
  });
}

/** A queue namespace no other test uses. */
export const uniqueNamespace = (tag = 'test') => `${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;

const CHECKS = { postgres: postgresUnavailable, redis: redisUnavailable, rabbitmq: rabbitUnavailable };

/** Why a test needing all of `services` cannot run (the first one unreachable), or undefined. */
export async function servicesUnavailable(...services: (keyof typeof CHECKS)[]): Promise<string | undefined> {
  for (const service of services) {
    const reason = await CHECKS[service]();
    if (reason) return reason;
  }
  return undefined;
}

/** Removes a test namespace's queues and exchanges from the broker. */
export async function dropQueueNamespace(namespace: string): Promise<void> {
  const amqp = await import('amqplib');
  const conn = await amqp.connect(QUEUE_URI);
  try {
    const ch = await conn.createChannel();
    for (const q of [`${namespace}.tasks`, `${namespace}.tasks.dead`]) await ch.deleteQueue(q);
    for (const x of [`${namespace}.tasks`, `${namespace}.tasks.dead`, `${namespace}.events`])
      await ch.deleteExchange(x);
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** Queue namespaces for the tests of the enclosing describe; their queues and exchanges go after its last. */
export function suiteNamespaces(): () => string {
  const made: string[] = [];
  after(() => Promise.all(made.map((ns) => dropQueueNamespace(ns).catch(() => {}))));
  return () => {
    const ns = uniqueNamespace();
    made.push(ns);
    return ns;
  };
}

/** A fresh database on the real server, opened as the app opens one; for suites that take an opener. */
export async function openTestPostgres(prefix: string, observe: QueryObserver, poolMax = 5) {
  const testDb = await createTestDatabase(prefix);
  const db = createPostgresDatabase({
    uri: testDb.uri,
    poolMax,
    statementTimeoutMs: 5000,
    onError: () => {},
    observe,
  });
  return { db, cleanup: () => testDb.drop() };
}

/** A fresh in-memory PGlite, for the embedded half of a suite. */
export async function openTestPglite(observe: QueryObserver) {
  return { db: await createPgliteDatabase({ dataDir: undefined, observe }), cleanup: async () => {} };
}
