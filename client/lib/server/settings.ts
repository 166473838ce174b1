// What the web client's server reads from its environment, at run time (never at build time, so one
// build runs anywhere). Pure: `settings()` in ./config.ts applies it to process.env.

export type Settings = Readonly<{
  /** The API's origin, which the proxy routes forward to. */
  apiUrl: string;
  /** The OpenID Provider people sign in with. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The origin people reach this client at; undefined: read from each request's Host. */
  clientOrigin: string | undefined;
  sessionSecret: string;
  /** Where the access token holds its roles (a claim or a dotted path), and which one is the admin's. */
  rolesClaim: string;
  adminRole: string;
}>;

/**
 * The session key's development default. It is public (it is in this file), so it is accepted only
 * with a provider on this machine, which is what `npm start` and the tests run.
 */
export const DEV_SESSION_SECRET = 'development-only-session-secret-not-for-production';

type Env = Record<string, string | undefined>;

const origin = (value: string, name: string) => {
  try {
    return new URL(value).origin;
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
export const isLoopback = (url: string) => LOOPBACK.has(new URL(url).hostname);

export function readSettings(env: Env): Settings {
  const read = (name: string) => env[name]?.trim() || undefined;
  const issuer = (read('AUTH_ISSUER') ?? 'http://localhost:8082').replace(/\/+$/, '');
  origin(issuer, 'AUTH_ISSUER');
  const sessionSecret = read('SESSION_SECRET') ?? (isLoopback(issuer) ? DEV_SESSION_SECRET : undefined);
  if (!sessionSecret) throw new Error(`SESSION_SECRET is required with AUTH_ISSUER=${issuer}`);
  if (sessionSecret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
  const clientOrigin = read('CLIENT_ORIGIN');
  return Object.freeze({
    apiUrl: origin(read('API_URL') ?? 'http://localhost:8080', 'API_URL'),
    issuer,
    clientId: read('AUTH_CLIENT_ID') ?? 'profile-web',
    clientSecret: read('AUTH_CLIENT_SECRET') ?? 'development-only-web',
    clientOrigin: clientOrigin && origin(clientOrigin, 'CLIENT_ORIGIN'),
    sessionSecret,
    rolesClaim: read('AUTH_ROLES_CLAIM') ?? 'roles',
    adminRole: read('AUTH_ADMIN_ROLE') ?? 'profile-admin',
  });
}
