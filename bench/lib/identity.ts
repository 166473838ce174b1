// Who the bench calls the service as. The production server accepts only an OpenID Provider's tokens,
// so the bench runs the tests' embedded provider (server/test/kit/identity.ts) in its own process and
// points the services it starts at it; they fetch its keys once and then verify every token themselves,
// which is the per-request cost the identity scenarios measure. The baselines take no token at all.
import { adminToken, testIssuer, testProcessEnv } from '../../server/test/kit/identity.js';
import { eachLimit } from './concurrency.js';
import { assignOwners } from './seed.js';

export type Headers = Record<string, string>;
/** An ordinary user and the one profile they own (a user may own one only). */
export type Owner = { id: string; headers: Headers };
/** admin: seeding through the API, task submission, uploads; user: owns nothing, sees public views. */
export type Callers = { admin: Headers; user: Headers; owners: readonly Owner[] };

const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/**
 * AUTH_ISSUER and the rest for a service the bench starts, with RATE_LIMIT_ENABLED=false (the bench's
 * 32 connections from one address would spend any production budget in a second); the HTTP
 * scenarios' services turn it back on at production settings, with budgets above the load
 * (lib/targets.ts).
 */
export const serviceAuthEnv = (): Promise<Record<string, string>> => testProcessEnv();

let admin: Promise<Headers> | undefined;

/** One admin token for the whole run (tokens live an hour, longer than any run). */
export function adminHeaders(): Promise<Headers> {
  admin ??= adminToken().then(bearer);
  return admin;
}

/**
 * `count` ordinary users, each made the owner of one of `ids` in the database (the profiles of the
 * owner PATCH scenario): the owner path is checked against the row's owner, not just the token.
 */
export async function benchCallers(dbUrl: string, ids: readonly string[], count: number): Promise<Callers> {
  const issuer = await testIssuer();
  const owned = ids.slice(0, Math.min(count, ids.length));
  const owners: Owner[] = [];
  // A few at a time: the provider runs in this process, and the tokens are minted before any load.
  await eachLimit([...owned.entries()], 8, async ([i, id]) => {
    owners.push({ id, headers: bearer(await issuer.token(`owner-${i}@bench.test`)) });
  });
  await assignOwners(
    dbUrl,
    owned.map((id, i) => ({ id, sub: issuer.subOf(`owner-${i}@bench.test`) })),
  );
  return {
    admin: await adminHeaders(),
    user: bearer(await issuer.token('reader@bench.test')),
    owners,
  };
}
