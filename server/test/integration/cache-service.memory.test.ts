// The in-process cache (REDIS_ADDRESS unset) in front of real PostgreSQL: needs no Redis, so a
// machine without one still runs it.
import { describe } from 'node:test';
import { postgresUnavailable, suiteDatabase } from '../kit/services.js';
import { cacheServiceSuite, cacheTtlSuite } from './cache-service.suite.js';

const skip = await postgresUnavailable();

describe('in-process cache with real PostgreSQL', { skip }, () => {
  const db = suiteDatabase('cache_mem');

  cacheServiceSuite('in-process', async () => ({ DB_URI: db.uri }));
  cacheTtlSuite('in-process', async () => ({ DB_URI: db.uri }));
});
