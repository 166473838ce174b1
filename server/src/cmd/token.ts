// `npm run token -- --email ada@example.com [--admin]`: prints an access token for that development
// account, from the development identity provider at AUTH_ISSUER (default: the one `npm start` runs).
import { parseArgs } from 'node:util';
import { DEV_TOKEN_CLIENT, DEV_TOKEN_GRANT } from '../auth/provider/dev-token-grant.js';

const { values } = parseArgs({
  options: { email: { type: 'string' }, admin: { type: 'boolean', default: false } },
});
if (!values.email) {
  process.stderr.write('usage: npm run token -- --email ada@example.com [--admin]\n');
  process.exit(2);
}
const issuer = process.env.AUTH_ISSUER ?? `http://localhost:${process.env.AUTH_PORT ?? 8082}`;
const secret = process.env.AUTH_DEV_CLIENT_SECRET ?? 'development-only';
try {
  const discovery = (await (
    await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) })
  ).json()) as { token_endpoint: string };
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${DEV_TOKEN_CLIENT}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: DEV_TOKEN_GRANT,
      email: values.email,
      ...(values.admin ? { admin: 'true' } : {}),
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token)
    throw new Error(body.error_description ?? `the issuer answered ${res.status}`);
  process.stdout.write(`${body.access_token}\n`);
} catch (err) {
  process.stderr.write(
    `could not get a token from ${issuer}: ${(err as Error).message} (is \`npm start\` running?)\n`,
  );
  process.exit(1);
}
