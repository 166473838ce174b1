// Admin-side Redis helpers: the bench's own key namespace, emptied before and after a run.
import { Redis } from 'ioredis';

/** A client that fails fast (no endless reconnecting) when Redis is not there. */
export async function connectRedis(address: string): Promise<Redis> {
  const [host, port] = address.split(':');
  const client = new Redis({
    host,
    port: Number(port),
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // surfaced by connect() and by the commands themselves
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new Error(`redis at ${address}: ${(err as Error).message}`);
  }
  return client;
}

/** A SCAN MATCH pattern matching `prefix` literally (glob characters and hash-tag braces escaped). */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]{}^-]/g, (c) => `\\${c}`)}*`;
}

/** Deletes every key under `prefix` with SCAN (never KEYS); returns how many went. */
export async function deleteByPrefix(client: Redis, prefix: string): Promise<number> {
  const pattern = prefixPattern(prefix);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    // SCAN matches by pattern; keep only keys that really start with the prefix.
    const ours = keys.filter((k) => k.startsWith(prefix));
    if (ours.length > 0) deleted += await client.unlink(...ours);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
