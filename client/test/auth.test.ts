// The sign-in machinery's pure parts: settings, the sealed cookie, sessions from token answers,
// the single-flight refresh, and the guards on where requests come from and go back to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncryptJWT, UnsecuredJWT } from 'jose';
import { seal, unseal } from '../lib/server/seal';
import { needsRefresh, rolesAt, type Session, sessionFrom, userOf } from '../lib/server/session-data';
import { DEV_SESSION_SECRET, readSettings } from '../lib/server/settings';
import { singleFlight } from '../lib/server/single-flight';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ROLES = { claim: 'roles', admin: 'profile-admin' };
const jwt = (claims: Record<string, unknown>) => new UnsecuredJWT(claims).encode();

describe('settings', () => {
  it('defaults to the development provider, with the development session secret only for it', () => {
    const s = readSettings({});
    assert.deepEqual(
      [s.apiUrl, s.issuer, s.clientId, s.clientSecret, s.clientOrigin, s.sessionSecret],
      [
        'http://localhost:8080',
        'http://localhost:8082',
        'profile-web',
        'development-only-web',
        undefined,
        DEV_SESSION_SECRET,
      ],
    );
    assert.throws(
      () => readSettings({ AUTH_ISSUER: 'https://id.example.com' }),
      /SESSION_SECRET is required/,
    );
    assert.throws(() => readSettings({ SESSION_SECRET: 'short' }), /at least 32/);
    assert.throws(() => readSettings({ API_URL: 'not a url' }), /API_URL/);
  });

  it('keeps origins only, and the issuer as given less a trailing slash', () => {
    const s = readSettings({
      API_URL: 'http://api:8080/',
      AUTH_ISSUER: 'https://id.example.com/realms/x/',
      CLIENT_ORIGIN: 'https://profiles.example.com/path',
      SESSION_SECRET: SECRET,
    });
    assert.deepEqual(
      [s.apiUrl, s.issuer, s.clientOrigin],
      ['http://api:8080', 'https://id.example.com/realms/x', 'https://profiles.example.com'],
    );
  });
});

describe('sealed cookies', () => {
  it('open only with the same secret and purpose, and not once expired', async () => {
    const value = await seal({ sub: 'a' }, SECRET, 'session', 60);
    assert.equal((await unseal<{ sub: string }>(value, SECRET, 'session'))?.sub, 'a');
    assert.equal(await unseal(value, `${SECRET}x`, 'session'), undefined);
    assert.equal(await unseal(value, SECRET, 'login-flow'), undefined, 'a flow cookie is not a session');
    assert.equal(await unseal(`${value.slice(0, -4)}AAAA`, SECRET, 'session'), undefined);
    assert.equal(await unseal(await seal({ sub: 'a' }, SECRET, 'session', -1), SECRET, 'session'), undefined);
  });

  it('refuse a JWE made with another algorithm', async () => {
    const other = await new EncryptJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .encrypt(new Uint8Array(32));
    assert.equal(await unseal(other, SECRET, 'session'), undefined);
  });
});

describe('sessions from token answers', () => {
  const answer = (claims: Record<string, unknown> | undefined, roles: unknown, extra = {}) => ({
    access_token: jwt({ sub: 's1', roles }),
    expires_in: 3600,
    refresh_token: 'r1',
    id_token: 'id1',
    claims: () => claims,
    ...extra,
  });

  it("take who from the ID token and the admin badge from the access token's roles", () => {
    const s = sessionFrom(
      answer({ sub: 's1', email: 'a@x.io', name: 'Ada' }, ['profile-admin']),
      ROLES,
      undefined,
      0,
    );
    assert.deepEqual(userOf(s), { sub: 's1', email: 'a@x.io', name: 'Ada', admin: true });
    assert.deepEqual([s.expiresAt, s.refreshToken, s.idToken], [3600, 'r1', 'id1']);
    assert.equal(sessionFrom(answer({ sub: 's1' }, []), ROLES).admin, false);
    assert.equal(sessionFrom(answer({ sub: 's1', email: 'a@x.io' }, []), ROLES).name, 'a@x.io');
  });

  it('keep on a refresh what its answer leaves out', () => {
    const first = sessionFrom(answer({ sub: 's1', email: 'a@x.io', name: 'Ada' }, []), ROLES);
    const refreshed = sessionFrom(
      answer(undefined, ['profile-admin'], { refresh_token: undefined, id_token: undefined }),
      ROLES,
      first,
    );
    assert.deepEqual(
      [refreshed.sub, refreshed.name, refreshed.refreshToken, refreshed.idToken, refreshed.admin],
      ['s1', 'Ada', 'r1', 'id1', true],
    );
  });

  it('read roles at a dotted path, as a list or a space-separated string', () => {
    assert.deepEqual(rolesAt({ realm_access: { roles: ['a', 'b', 3] } }, 'realm_access.roles'), ['a', 'b']);
    assert.deepEqual(rolesAt({ scope: 'a b' }, 'scope'), ['a', 'b']);
    assert.deepEqual(rolesAt({}, 'realm_access.roles'), []);
  });

  it('are refreshed within a minute of expiry', () => {
    const at = (expiresAt: number) => ({ expiresAt }) as Session;
    assert.equal(needsRefresh(at(1_000), 1_000 * 1000 - 61_000), false);
    assert.equal(needsRefresh(at(1_000), 1_000 * 1000 - 59_000), true);
  });
});

describe('single flight', () => {
  it('runs once for concurrent callers and for those shortly after, then again', async () => {
    let clock = 0;
    let runs = 0;
    const once = singleFlight<number>(1_000, () => clock);
    const work = async () => {
      runs += 1;
      return runs;
    };
    assert.deepEqual(await Promise.all([once('k', work), once('k', work)]), [1, 1]);
    clock = 999;
    assert.equal(await once('k', work), 1, 'still the same outcome just after');
    assert.equal(await once('other', work), 2);
    clock = 2_500;
    assert.equal(await once('k', work), 3);
  });

  it('runs again rather than hand out a kept outcome that is no longer of use', async () => {
    let runs = 0;
    let usable = true;
    const once = singleFlight<number>(
      1_000,
      () => 0,
      () => usable,
    );
    const work = async () => ++runs;
    assert.deepEqual(await Promise.all([once('k', work), once('k', work)]), [1, 1]);
    assert.equal(await once('k', work), 1);
    usable = false;
    assert.equal(await once('k', work), 2, 'an expired token is not handed out');
  });
});
