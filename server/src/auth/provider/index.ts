// The embedded OpenID Provider for `npm start` and the tests (development only): panva's
// oidc-provider, issuing JWT access tokens for the API's audience to development accounts that sign
// in with an email. Production points AUTH_ISSUER at a real provider instead.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { createDevAccounts } from './accounts.js';
import { DEV_TOKEN_CLIENT, DEV_TOKEN_GRANT, devTokenGrant } from './dev-token-grant.js';
import { signingKeys } from './keys.js';
import { handleInteraction } from './login.js';
import { createMemoryAdapter } from './memory-adapter.js';

export type IdentityProviderOptions = {
  issuer: string;
  audience: string;
  adminEmail: string;
  /** Keys and accounts survive restarts here; without it they live in memory only. */
  dataDir?: string | undefined;
  /** Shared with `npm run token` (development only). */
  devClientSecret: string;
  /** The web client (a confidential relying party: its server signs people in), if any. */
  webClient?: { id: string; secret: string; origins: readonly string[] };
  accessTokenTtlSec?: number;
};

export async function createIdentityProvider(opts: IdentityProviderOptions) {
  const accounts = createDevAccounts({
    adminEmail: opts.adminEmail,
    file: opts.dataDir && join(opts.dataDir, 'accounts.json'),
  });
  const resourceServer = () => ({
    scope: 'profiles',
    audience: opts.audience,
    accessTokenTTL: opts.accessTokenTtlSec ?? 3600,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: 'ES256' as const } },
  });
  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    jwks: { keys: await signingKeys(opts.dataDir && join(opts.dataDir, 'jwks.json')) },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clients: [
      {
        client_id: DEV_TOKEN_CLIENT,
        client_secret: opts.devClientSecret,
        grant_types: [DEV_TOKEN_GRANT],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: 'ES256',
      },
      ...(opts.webClient ? [webClientMetadata(opts.webClient)] : []),
    ],
    // The web client keeps people signed in by refreshing; no consent screen asks for it.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => {
        const { email, name } = accounts.claimsOf(sub);
        return { sub, ...(email ? { email, email_verified: true } : {}), ...(name ? { name } : {}) };
      },
    }),
    extraTokenClaims: async (_ctx, token) =>
      'accountId' in token && token.kind === 'AccessToken'
        ? {
            roles:
              (token.extra?.roles as string[] | undefined) ??
              accounts.claimsOf(String(token.accountId)).roles,
          }
        : undefined,
    // Authorization code (with PKCE) only: no implicit flow.
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      // The web client revokes its refresh token at sign-out.
      revocation: { enabled: true },
      // Sign-out asks nothing (first-party clients only) and loads nothing from elsewhere.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: autoConfirmLogout,
        postLogoutSuccessSource: signedOut,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return resourceServer();
        },
      },
    },
    // First-party clients only: what they ask for is granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => autoGrant(ctx),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: opts.accessTokenTtlSec ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Grant: 14 * 86_400,
      Session: 14 * 86_400,
      RefreshToken: 14 * 86_400,
    },
  };
  const provider = new Provider(opts.issuer, configuration);
  provider.registerGrantType(DEV_TOKEN_GRANT, devTokenGrant(accounts, API_RESOURCE, resourceServer), [
    'email',
    'admin',
  ]);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, accounts, req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`The sign-in could not continue: ${err.message}`);
      });
      return;
    }
    provider.callback()(req, res);
  };

  let server: Server | undefined;
  return {
    provider,
    accounts,
    handle,
    async listen(port: number, host: string): Promise<number> {
      server = createServer(handle);
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(port, host, () => resolve());
      });
      return (server.address() as AddressInfo).port;
    },
    /** Lets the process exit while it still listens (a test process's shared provider). */
    unref(): void {
      server?.unref();
    },
    async close(): Promise<void> {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

export const WEB_CLIENT_ID = 'profile-web';

/** The API as a resource indicator (RFC 8707 wants an absolute URI); its tokens' `aud` is AUTH_AUDIENCE. */
export const API_RESOURCE = 'urn:profile-service:api';

function webClientMetadata(web: { id: string; secret: string; origins: readonly string[] }): ClientMetadata {
  return {
    client_id: web.id,
    client_secret: web.secret,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: web.origins.map((o) => `${o}/auth/callback`),
    post_logout_redirect_uris: web.origins.map((o) => `${o}/`),
    id_token_signed_response_alg: 'ES256',
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/** The provider's sign-out confirmation, submitted at once: its clients are all first-party. */
async function autoConfirmLogout(ctx: KoaContextWithOIDC, form: string) {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head>
<body><noscript><p>Signing out…</p></noscript>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"><button type="submit">Sign out</button></form>')}
<script nonce="${ctx.state.cspNonce ?? ''}">document.forms[0].submit()</script></body></html>`;
}

async function signedOut(ctx: KoaContextWithOIDC) {
  ctx.type = 'html';
  ctx.body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head><body><p>You are signed out.</p></body></html>';
}

/** The grant a first-party client's authorization request asks for: its scopes, for the API. */
async function autoGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
  if (existing) return oidc.provider.Grant.find(existing);
  if (!oidc.session?.accountId || !oidc.client) return undefined;
  const grant = new oidc.provider.Grant({
    accountId: oidc.session.accountId,
    clientId: oidc.client.clientId,
  });
  const scope = String(oidc.params?.scope ?? 'openid');
  grant.addOIDCScope(scope);
  grant.addResourceScope(API_RESOURCE, 'profiles');
  await grant.save();
  return grant;
}

export type IdentityProvider = Awaited<ReturnType<typeof createIdentityProvider>>;
