// Keys come from a real OpenID Provider, and the API copes with what happens to it: key rotation
// needs no restart, a withdrawn key stops verifying, tokens verify with cached keys while the issuer
// is down, and with none cached the answer is 503 auth_unavailable — never a 500, never a pass.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { DEV_TOKEN_CLIENT, DEV_TOKEN_GRANT } from '../../../src/auth/provider/dev-token-grant.js';
import { createIdentityProvider, type IdentityProvider } from '../../../src/auth/provider/index.js';
import { startTestApp, type TestApp } from '../../kit/app.js';
import { eventually } from '../../kit/eventually.js';
import { freePort } from '../../kit/process.js';

const SECRET = 'issuer-test-secret';
const AUDIENCE = 'profile-service';

async function provider(port: number, dataDir: string): Promise<IdentityProvider> {
  const idp = await createIdentityProvider({
    issuer: `http://127.0.0.1:${port}`,
    audience: AUDIENCE,
    adminEmail: 'admin@example.com',
    dataDir,
    devClientSecret: SECRET,
  });
  await idp.listen(port, '127.0.0.1');
  return idp;
}

async function tokenFrom(port: number, email: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${DEV_TOKEN_CLIENT}:${SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: DEV_TOKEN_GRANT, email }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Puts a new signing key first in the provider's key file (it signs with the first). */
async function rotate(dataDir: string, keep: boolean): Promise<void> {
  const file = join(dataDir, 'jwks.json');
  const old = (JSON.parse(readFileSync(file, 'utf8')) as { keys: unknown[] }).keys;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const fresh = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: `rotated-${Date.now()}` };
  writeFileSync(file, JSON.stringify({ keys: keep ? [fresh, ...old] : [fresh] }));
}

describe('the issuer and its keys', { timeout: 120_000 }, () => {
  const apps: TestApp[] = [];
  let idp: IdentityProvider | undefined;
  after(async () => {
    await idp?.close();
    for (const a of apps) await a.close();
  });
  const asUser = (app: TestApp, token: string) =>
    app.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: { authorization: `Bearer ${token}` } });

  it('rotation needs no restart; a withdrawn key stops verifying; the issuer down keeps cached keys working', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'issuer-test-'));
    idp = await provider(port, dataDir);
    const app = await startTestApp({
      caller: 'as-given',
      env: {
        AUTH_ISSUER: `http://127.0.0.1:${port}`,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_JWKS_COOLDOWN: '0ms',
        AUTH_JWKS_MAX_AGE: '300ms',
      },
    });
    apps.push(app);
    const first = await tokenFrom(port, 'rotating@example.com');
    assert.equal((await asUser(app, first)).statusCode, 200);

    // The issuer rotates in a new key, keeping the old one published: both verify, no restart.
    await idp.close();
    await rotate(dataDir, true);
    idp = await provider(port, dataDir);
    const second = await tokenFrom(port, 'rotating@example.com');
    assert.notEqual(
      JSON.parse(Buffer.from(second.split('.')[0] as string, 'base64url').toString()).kid,
      undefined,
    );
    assert.equal((await asUser(app, second)).statusCode, 200, 'a token signed with the new key');
    assert.equal((await asUser(app, first)).statusCode, 200, 'the old key is still published');

    // The old key is withdrawn: once the cached set is refreshed, tokens signed with it fail.
    await idp.close();
    const file = join(dataDir, 'jwks.json');
    const keys = (JSON.parse(readFileSync(file, 'utf8')) as { keys: unknown[] }).keys;
    writeFileSync(file, JSON.stringify({ keys: keys.slice(0, 1) }));
    idp = await provider(port, dataDir);
    await eventually(
      'a token of the withdrawn key is refused',
      async () => (await asUser(app, first)).statusCode,
      {
        until: (s) => s === 401,
        timeoutMs: 20_000,
      },
    );
    assert.equal((await asUser(app, second)).statusCode, 200);

    // The issuer goes away: the keys held keep verifying.
    await idp.close();
    idp = undefined;
    for (let i = 0; i < 3; i++)
      assert.equal((await asUser(app, second)).statusCode, 200, 'issuer down, cached keys');
  });

  it('an issuer unreachable from the start: tokens get 503 auth_unavailable, anonymous reads still work', async () => {
    const port = await freePort();
    const app = await startTestApp({
      caller: 'as-given',
      env: { AUTH_ISSUER: `http://127.0.0.1:${port}`, AUTH_AUDIENCE: AUDIENCE },
    });
    apps.push(app);
    const token = await (await import('../../kit/identity.js'))
      .testIssuer()
      .then((i) => i.token('x@example.com'));
    const res = await asUser(app, token);
    assert.equal(res.statusCode, 503, res.body);
    assert.equal((res.json() as { code: string }).code, 'auth_unavailable');
    assert.equal(res.headers['retry-after'], '1');
    assert.equal((await app.app.inject({ method: 'GET', url: '/api/v1/profiles' })).statusCode, 200);
  });
});
