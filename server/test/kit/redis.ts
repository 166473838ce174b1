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
