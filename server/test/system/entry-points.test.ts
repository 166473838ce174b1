// The entry points of src/cmd run as their own processes, as production starts them: the migration
// command applies what is pending once, and the server refuses to start on a config it would guess
// (no database, no identity provider, a bad value).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testProcessEnv } from '../kit/identity.js';
import { spawnEntry } from '../kit/process.js';
import { createTestDatabase, postgresUnavailable } from '../kit/services.js';

const pgSkip = await postgresUnavailable();

describe('the migrate command', { skip: pgSkip }, () => {
  it('npm run migrate applies pending migrations once, then reports the database up to date', async (ctx) => {
    const fresh = await createTestDatabase('cli');
    ctx.after(() => fresh.drop());
    const first = spawnEntry('migrate', { DB_URI: fresh.uri });
    assert.equal((await first.exit).code, 0, first.output());
    assert.match(first.output(), /applied migration 0001_profiles/);
    const second = spawnEntry('migrate', { DB_URI: fresh.uri });
    assert.equal((await second.exit).code, 0, second.output());
    assert.match(second.output(), /database is up to date/);
  });
});

describe('production entry point refuses to guess', () => {
  it('exits 1 naming DB_URI when it is not set', async () => {
    const s = spawnEntry('server', await testProcessEnv());
    const { code } = await s.exit;
    assert.equal(code, 1);
    assert.match(s.output(), /DB_URI is required/);
  });

  it('exits 1 naming AUTH_ISSUER when no identity provider is configured', async () => {
    const s = spawnEntry('server', { DB_URI: 'postgres://x@127.0.0.1/y' });
    const { code } = await s.exit;
    assert.equal(code, 1);
    assert.match(s.output(), /AUTH_ISSUER is required/);
  });

  it('exits 1 naming the variable whose value is bad', async () => {
    const s = spawnEntry('server', { DB_URI: 'postgres://x@127.0.0.1/y', SHUTDOWN_GRACE: 'soon' });
    const { code } = await s.exit;
    assert.equal(code, 1);
    assert.match(s.output(), /config error: SHUTDOWN_GRACE:/);
  });
});
