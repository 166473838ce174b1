// Idempotency-Key across a crash: the production server killed (SIGKILL, by a test-only fault) right
// after a request's effect and its stored answer committed, before the answer was sent. The retry,
// on a server started again, must get that answer replayed, and the effect must exist once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { bearer, testProcessEnv } from '../kit/identity.js';
import { spawnServer } from '../kit/process.js';
import { postgresUnavailable, suiteDatabase } from '../kit/services.js';

const skip = await postgresUnavailable();

const post = (port: number, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function count(uri: string, sql: string, params: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(sql, params);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe('Idempotency-Key across a killed server', { skip }, () => {
  const db = suiteDatabase('idemcrash');

  for (const [what, path, bodyOf, counted] of [
    [
      'a profile',
      '/api/v1/profiles',
      (tag: string) => ({ name: 'Crash Test', email: `${tag}@example.com` }),
      "SELECT count(*)::int AS n FROM profiles WHERE email = $1 || '@example.com'",
    ],
    [
      'a task',
      '/api/v1/tasks/delayed',
      (tag: string) => ({ type: 'echo', payload: { tag }, delay: 3600 }),
      "SELECT count(*)::int AS n FROM tasks WHERE payload->>'tag' = $1",
    ],
  ] as const) {
    it(`${what}: killed after its effect committed, before answering; the retry is replayed and the effect exists once`, async () => {
      const env = { ...(await testProcessEnv()), DB_URI: db.uri };
      const auth = await bearer(`admin-${randomUUID()}@example.com`, { admin: true });
      const key = randomUUID();
      const tag = randomUUID();
      const headers = { ...auth, 'idempotency-key': key };

      const doomed = await spawnServer('server', { ...env, TEST_FAULT_CRASH_AFTER_IDEMPOTENT_COMMIT: '1' });
      try {
        await assert.rejects(post(doomed.port, path, bodyOf(tag), headers), 'the connection dies unanswered');
        const { signal } = await doomed.exit;
        assert.equal(signal, 'SIGKILL', doomed.output());
      } finally {
        doomed.proc.kill('SIGKILL');
      }
      assert.equal(await count(db.uri, counted, [tag]), 1, 'the effect committed before the kill');

      const server = await spawnServer('server', env);
      try {
        const retry = await post(server.port, path, bodyOf(tag), headers);
        assert.ok(retry.status === 201 || retry.status === 202, await retry.clone().text());
        assert.equal(retry.headers.get('idempotent-replayed'), 'true');
        const answer = (await retry.json()) as { id: string };
        assert.ok(retry.headers.get('location')?.endsWith(answer.id));
        const again = await post(server.port, path, bodyOf(tag), headers);
        assert.equal(((await again.json()) as { id: string }).id, answer.id);
        assert.equal(await count(db.uri, counted, [tag]), 1, 'and still once after the retries');
      } finally {
        server.proc.kill('SIGKILL');
        await server.exit;
      }
    });
  }
});
