// What the Idempotency-Key tests share: the app on one engine (and a second app over the same
// database, as a second instance), callers, and a look at the key table.
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { startTestApp, type TestApp, type TestDatabaseOpener, uniqueEmail } from '../../kit/app.js';
import { bearer } from '../../kit/identity.js';

export type Json = Record<string, unknown>;
export type Headers = Record<string, string>;
export const PROFILES = '/api/v1/profiles';
export const TASKS = '/api/v1/tasks/delayed';

export type IdempotencyHarness = ReturnType<typeof idempotencyHarness>;

export function idempotencyHarness(database: TestDatabaseOpener, env: () => Record<string, string>) {
  let started: TestApp | undefined;
  let second: Awaited<ReturnType<typeof buildApp>> | undefined;
  before(async () => {
    started = await startTestApp({
      env: { IDEMPOTENCY_LEASE: '30s', ...env() },
      testDatabase: database,
      caller: 'as-given',
    });
    // Another instance of the API over the same database: the database is what coordinates them.
    second = await buildApp(started.container);
    await second.ready();
  });
  after(async () => {
    await second?.close();
    await started?.close();
  });
  const need = () => {
    if (!started || !second) throw new Error('the app is not started');
    return { t: started, second };
  };

  /** A JSON POST as a client sends it, to the first instance or the second. */
  const post = (
    url: string,
    body: unknown,
    headers: Headers,
    instance: 'first' | 'second' = 'first',
  ): Promise<LightMyRequestResponse> => {
    const { t, second: other } = need();
    const app = instance === 'first' ? t.app : other;
    return app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  };

  const sql = <T extends Json>(text: string, params: unknown[] = []) =>
    need().t.container.db.query<T>(text, params);

  return {
    get app() {
      return need().t.app;
    },
    get container() {
      return need().t.container;
    },
    post,
    sql,
    /** A fresh admin (a subject of its own) and a fresh ordinary user. */
    admin: () => bearer(`admin-${randomUUID()}@example.com`, { admin: true }),
    user: () => bearer(`user-${randomUUID()}@example.com`),
    key: () => randomUUID(),
    profileBody: (): Json => ({ name: 'Ada Lovelace', email: uniqueEmail('idem') }),
    /** How many rows the key table holds for a key (any caller). */
    keysStored: async (key: string) =>
      (await sql<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]))[0]
        ?.n ?? 0,
    allKeys: async () =>
      (await sql<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys'))[0]?.n ?? 0,
    profilesWithEmail: async (email: string) =>
      (await sql<{ n: number }>('SELECT count(*)::int AS n FROM profiles WHERE email = $1', [email]))[0]?.n ??
      0,
    tasksWithTag: async (tag: string) =>
      (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE payload->>'tag' = $1`, [tag]))[0]
        ?.n ?? 0,
  };
}
