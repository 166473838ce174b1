// A real OpenID Provider for the tests: the embedded one (oidc-provider) on a free port, one per test
// process, with tokens for test accounts, and its signing key for the tests that forge bad tokens.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { DEV_TOKEN_CLIENT, DEV_TOKEN_GRANT } from '../../src/auth/provider/dev-token-grant.js';
import { createIdentityProvider } from '../../src/auth/provider/index.js';
import { freePort } from './process.js';

export const TEST_AUDIENCE = 'profile-service';
const SECRET = 'test-client-secret';

export type TestIssuer = Awaited<ReturnType<typeof startIssuer>>;

async function startIssuer() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'test-issuer-'));
  const idp = await createIdentityProvider({
    issuer: url,
    audience: TEST_AUDIENCE,
    adminEmail: 'admin@example.com',
    dataDir,
    devClientSecret: SECRET,
  });
  await idp.listen(port, '127.0.0.1');
  idp.unref();
  const key = (JSON.parse(readFileSync(join(dataDir, 'jwks.json'), 'utf8')) as { keys: JWK[] })
    .keys[0] as JWK;

  async function token(email: string, opts: { admin?: boolean } = {}): Promise<string> {
    const res = await fetch(`${url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${DEV_TOKEN_CLIENT}:${SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: DEV_TOKEN_GRANT,
        email,
        ...(opts.admin ? { admin: 'true' } : {}),
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`the test issuer gave no token: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  return {
    url,
    audience: TEST_AUDIENCE,
    /** The variables that make an app or a process accept this issuer's tokens. */
    env: { AUTH_ISSUER: url, AUTH_AUDIENCE: TEST_AUDIENCE, AUTH_DEV_CLIENT_SECRET: SECRET },
    token,
    /** The subject the provider gives an email's account. */
    subOf: (email: string) => idp.accounts.signIn(email),
    /** Signs claims with the issuer's own key (kid included): for tokens it would never issue. */
    async forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
      const privateKey = await importJWK(key, 'ES256');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: key.kid as string, typ: 'at+jwt', ...header })
        .sign(privateKey);
    },
    close: () => idp.close(),
  };
}

let shared: Promise<TestIssuer> | undefined;

/** The test process's issuer, started on first use; it stops with the process. */
export function testIssuer(): Promise<TestIssuer> {
  shared ??= startIssuer();
  return shared;
}

/** `Authorization` headers for test callers. */
export async function bearer(email: string, opts: { admin?: boolean } = {}) {
  const issuer = await testIssuer();
  return { authorization: `Bearer ${await issuer.token(email, opts)}` };
}

/** An admin's token, for suites about something other than access. */
export async function adminToken(): Promise<string> {
  return (await testIssuer()).token('admin@example.com', { admin: true });
}

/**
 * For a process the tests start (a server, a worker, a cluster's instances, a container): the
 * variables that make it accept the test issuer's tokens (it reaches this process's issuer over
 * 127.0.0.1), with rate limits off as in testApp(): suites about something else spend no budgets.
 */
export async function testProcessEnv(): Promise<Record<string, string>> {
  return { ...(await testIssuer()).env, RATE_LIMIT_ENABLED: 'false' };
}
