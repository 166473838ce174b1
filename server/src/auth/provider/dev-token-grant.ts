import type { KoaContextWithOIDC, ResourceServer } from 'oidc-provider';
import type { DevAccounts } from './accounts.js';

/** A development-only grant: an access token for an email, for `npm run token` and the tests. */
export const DEV_TOKEN_GRANT = 'urn:profile-service:dev-token';
export const DEV_TOKEN_CLIENT = 'profile-dev-token';

export function devTokenGrant(accounts: DevAccounts, resource: string, resourceServer: () => ResourceServer) {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const email = String(oidc.params?.email ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'email is required' };
      return;
    }
    const client = oidc.client;
    if (!client) throw new Error('no client');
    const sub = accounts.signIn(email);
    const admin = oidc.params?.admin === 'true' || accounts.claimsOf(sub).roles.length > 0;
    const { AccessToken, Grant } = oidc.provider;
    const grant = new Grant({ accountId: sub, clientId: client.clientId });
    grant.addResourceScope(resource, 'profiles');
    const grantId = await grant.save();
    const token = new AccessToken({
      accountId: sub,
      client,
      grantId,
      gty: 'dev_token',
      scope: 'profiles',
      extra: { roles: admin ? ['profile-admin'] : [] },
      resourceServer: new oidc.provider.ResourceServer(resource, resourceServer()),
    });
    ctx.body = {
      access_token: await token.save(),
      token_type: 'Bearer',
      expires_in: token.expiration,
      scope: 'profiles',
    };
  };
}
