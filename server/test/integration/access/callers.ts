// Every kind of caller the access tests try: nobody, the owner, someone else, an admin, and tokens
// that must never be accepted — each bad in exactly one way, so a 401 means that way was caught.
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { type TestIssuer, testIssuer } from '../../kit/identity.js';

export type Caller = { name: string; headers: Record<string, string> };
export type People = { anonymous: Caller; owner: Caller; other: Caller; admin: Caller };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function people(tag: string): Promise<People & { ownerSub: string; ownerEmail: string }> {
  const issuer = await testIssuer();
  const ownerEmail = `owner.${tag}.${process.pid}.${Date.now()}@example.com`;
  const otherEmail = `other.${tag}.${process.pid}.${Date.now()}@example.com`;
  return {
    anonymous: { name: 'anonymous', headers: {} },
    owner: { name: 'the owner', headers: bearer(await issuer.token(ownerEmail)) },
    other: { name: 'another user', headers: bearer(await issuer.token(otherEmail)) },
    admin: { name: 'an admin', headers: bearer(await issuer.token('admin@example.com', { admin: true })) },
    ownerSub: issuer.subOf(ownerEmail),
    ownerEmail,
  };
}

/** Valid claims for `sub`, as the issuer would put them in an access token. */
function claims(issuer: TestIssuer, sub: string, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer.url, aud: issuer.audience, sub, iat: now, exp: now + 600, roles: [], ...extra };
}

/** Tokens that must be refused with 401 invalid_token, whatever the route. */
export async function badTokens(sub: string): Promise<Caller[]> {
  const issuer = await testIssuer();
  const now = Math.floor(Date.now() / 1000);
  const good = await issuer.forge(claims(issuer, sub));
  const [head, , sig] = good.split('.');
  const { kid } = JSON.parse(Buffer.from(head as string, 'base64url').toString()) as { kid: string };
  const stranger = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(stranger.publicKey);
  const hsHead = b64({ alg: 'HS256', typ: 'JWT', kid });
  const hsBody = b64(claims(issuer, sub, { roles: ['profile-admin'] }));
  // The HMAC "key" an attacker has: the issuer's public key, as published.
  const hsSig = createHmac('sha256', JSON.stringify(publicJwk))
    .update(`${hsHead}.${hsBody}`)
    .digest('base64url');
  const list: [string, string][] = [
    ['expired', await issuer.forge(claims(issuer, sub, { iat: now - 7200, exp: now - 600 }))],
    ['not yet valid', await issuer.forge(claims(issuer, sub, { nbf: now + 600 }))],
    ['from another issuer', await issuer.forge(claims(issuer, sub, { iss: 'https://issuer.invalid' }))],
    ['for another audience', await issuer.forge(claims(issuer, sub, { aud: 'another-api' }))],
    [
      'alg none',
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(issuer, sub, { roles: ['profile-admin'] }))}.`,
    ],
    ['HS256 keyed with a public key', `${hsHead}.${hsBody}.${hsSig}`],
    ['tampered (roles added)', `${head}.${b64(claims(issuer, sub, { roles: ['profile-admin'] }))}.${sig}`],
    ['an unknown kid', await issuer.forge(claims(issuer, sub), { kid: 'no-such-key' })],
    [
      'a key the issuer never published',
      await new SignJWT(claims(issuer, sub))
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .sign(stranger.privateKey),
    ],
    ['not a JWT', 'not-a-token'],
  ];
  return list.map(([name, token]) => ({ name: `a token ${name}`, headers: bearer(token) }));
}
