import { join } from 'node:path';
import { createIdentityProvider, WEB_CLIENT_ID } from '../auth/provider/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../telemetry/logger.js';

/**
 * The development provider as the config describes it, naming itself `issuer` in its tokens. Its
 * keys and accounts live under DATA_DIR/auth, so a restart keeps tokens valid.
 */
export function createDevIdentityProvider(config: Config, issuer: string) {
  const { auth } = config;
  return createIdentityProvider({
    issuer,
    audience: auth.audience,
    adminEmail: auth.devAdminEmail,
    dataDir: join(config.dataDir, 'auth'),
    devClientSecret: auth.devClientSecret,
    webClient: { id: WEB_CLIENT_ID, secret: auth.devWebClientSecret, origins: auth.devWebOrigins },
    accessTokenTtlSec: auth.devAccessTokenTtlSec,
  });
}

/**
 * The local OpenID Provider (development only) for `npm start` when AUTH_ISSUER is not set: listens
 * on AUTH_PORT and is the issuer the API then accepts tokens from.
 */
export async function startEmbeddedIssuer(config: Config, logger: Pick<Logger, 'info'>) {
  const { auth } = config;
  const url = `http://localhost:${auth.devPort}`;
  const idp = await createDevIdentityProvider(config, url);
  await idp.listen(auth.devPort, config.host);
  logger.info(
    { issuer: url, admin: auth.devAdminEmail },
    'embedded: AUTH_ISSUER not set, using the local identity provider (development only)',
  );
  return { url, close: () => idp.close() };
}
