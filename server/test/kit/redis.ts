import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_ADDRESS } from './services.js';

/** A Redis client of the test's own on REDIS_ADDRESS, disconnected when the test ends. */
export function redisClient(ctx: TestContext): Redis {
  const [host, port] = REDIS_ADDRESS.split(':') as [string, string];
  const client = new Redis({ host, port: Number(port) });
  ctx.after(() => client.disconnect());
  return client;
}

/** Every key of one Redis node matching `pattern` (a SCAN glob), walked to the end of its cursor. */
export async function scanKeys(node: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    out.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/** `text` with SCAN's glob characters escaped, to match it literally. */
export const globEscaped = (text: string) => text.replace(/[{}*?[\]]/g, '\\$&');
