import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { createRetention } from '../../../src/worker/retention.js';
import { type IdempotencyHarness, PROFILES, TASKS } from './harness.js';

const problemOf = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  return res.json() as { code: string; status: number };
};

export function refusalTests(h: IdempotencyHarness) {
  it('a malformed key is a 400, and nothing is created or kept', async () => {
    const auth = await h.admin();
    const before = await h.allKeys();
    for (const key of ['', 'x'.repeat(256), 'has space', 'caf\u00e9']) {
      const body = h.profileBody();
      const res = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
      assert.equal(res.statusCode, 400, `${JSON.stringify(key)}: ${res.body}`);
      assert.equal(problemOf(res).code, 'validation_failed');
      assert.equal(await h.profilesWithEmail(String(body.email)), 0);
    }
    const longest = await h.post(PROFILES, h.profileBody(), { ...auth, 'idempotency-key': '~'.repeat(255) });
    assert.equal(longest.statusCode, 201, 'a key of 255 visible characters is fine');
    assert.equal(await h.allKeys(), before + 1);
  });

  it('the same key for another request is a 422: another body, another path', async () => {
    const auth = await h.admin();
    const key = h.key();
    const body = h.profileBody();
    assert.equal((await h.post(PROFILES, body, { ...auth, 'idempotency-key': key })).statusCode, 201);
    const otherBody = await h.post(
      PROFILES,
      { ...body, name: 'Someone else' },
      { ...auth, 'idempotency-key': key },
    );
    assert.equal(otherBody.statusCode, 422, otherBody.body);
    assert.equal(problemOf(otherBody).code, 'idempotency_key_reused');
    const tag = randomUUID();
    const otherPath = await h.post(
      TASKS,
      { type: 'echo', payload: { tag }, delay: 3600 },
      { ...auth, 'idempotency-key': key },
    );
    assert.equal(otherPath.statusCode, 422);
    assert.equal(await h.tasksWithTag(tag), 0);
  });

  it('a denied request (401, 403) changes nothing and is not kept: the key stays free', async () => {
    const key = h.key();
    const body = h.profileBody();
    const anonymous = await h.post(PROFILES, body, { 'idempotency-key': key });
    assert.equal(anonymous.statusCode, 401);
    const user = await h.user();
    // An ordinary user may not create a profile for someone else, nor submit an admins-only task.
    const forbidden = await h.post(
      PROFILES,
      { ...body, owner: 'someone-else' },
      { ...user, 'idempotency-key': key },
    );
    assert.equal(forbidden.statusCode, 403, forbidden.body);
    const tag = randomUUID();
    const task = await h.post(TASKS, { type: 'echo', payload: { tag } }, { ...user, 'idempotency-key': key });
    assert.equal(task.statusCode, 403);
    assert.equal(await h.keysStored(key), 0);
    assert.equal(await h.profilesWithEmail(String(body.email)), 0);
    assert.equal(await h.tasksWithTag(tag), 0);
    // Not a replay of the 403: the key is free, so the allowed request runs.
    const allowed = await h.post(PROFILES, body, { ...user, 'idempotency-key': key });
    assert.equal(allowed.statusCode, 201, allowed.body);
    assert.equal(allowed.headers['idempotent-replayed'], undefined);
  });

  it('a retry while the first still runs is a 409 with Retry-After; once its lease lapsed, the retry takes it over and acts once', async () => {
    const auth = await h.admin();
    const tag = randomUUID();
    const body = { type: 'echo', payload: { tag }, delay: 3600 };
    // The first attempt: claimed, then its process died before its effect committed.
    const probeKey = h.key();
    assert.equal((await h.post(TASKS, body, { ...auth, 'idempotency-key': probeKey })).statusCode, 202);
    const [probe] = await h.sql<{ owner_sub: string; request_hash: string }>(
      'SELECT owner_sub, request_hash FROM idempotency_keys WHERE key = $1',
      [probeKey],
    );
    assert.ok(probe);
    const key = h.key();
    await h.sql(
      `INSERT INTO idempotency_keys (owner_sub, key, request_hash, token, state, lease_until)
       VALUES ($1, $2, $3, $4, 'in_progress', now() + interval '20 seconds')`,
      [probe.owner_sub, key, probe.request_hash, randomUUID()],
    );
    const busy = await h.post(TASKS, body, { ...auth, 'idempotency-key': key }, 'second');
    assert.equal(busy.statusCode, 409, busy.body);
    assert.equal(problemOf(busy).code, 'idempotency_key_in_use');
    const wait = Number(busy.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 20, `Retry-After ${busy.headers['retry-after']}`);
    assert.equal(await h.tasksWithTag(tag), 1, 'the 409 did nothing');

    await h.sql(`UPDATE idempotency_keys SET lease_until = now() - interval '1 second' WHERE key = $1`, [
      key,
    ]);
    const taken = await h.post(TASKS, body, { ...auth, 'idempotency-key': key });
    assert.equal(taken.statusCode, 202, taken.body);
    const again = await h.post(TASKS, body, { ...auth, 'idempotency-key': key }, 'second');
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, taken.json().id);
    assert.equal(await h.tasksWithTag(tag), 2, 'one for the probe, one for the key taken over');
  });

  it('two identical requests racing on two instances: one effect, the other replayed or told to wait', async () => {
    const auth = await h.admin();
    for (let round = 0; round < 5; round++) {
      const key = h.key();
      const body = h.profileBody();
      const headers = { ...auth, 'idempotency-key': key };
      const answers = await Promise.all([
        h.post(PROFILES, body, headers, 'first'),
        h.post(PROFILES, body, headers, 'second'),
      ]);
      const statuses = answers.map((a) => a.statusCode).sort();
      const made = answers.filter((a) => a.statusCode === 201 && !a.headers['idempotent-replayed']);
      assert.equal(made.length, 1, `exactly one made it: ${statuses}`);
      for (const a of answers.filter((x) => x !== made[0])) {
        if (a.statusCode === 409) assert.equal(problemOf(a).code, 'idempotency_key_in_use');
        else assert.equal(a.body, made[0]?.body, 'or replayed it');
      }
      assert.equal(await h.profilesWithEmail(String(body.email)), 1);
    }
  });

  it('keys older than IDEMPOTENCY_TTL are pruned by the retention pass; the key is then new', async () => {
    const auth = await h.admin();
    const key = h.key();
    const body = h.profileBody();
    const first = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
    assert.equal(first.statusCode, 201);
    await h.sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const retention = createRetention({
      tasks: { pruneFinished: async () => 0 },
      exports: { pruneOlder: async () => 0 },
      idempotency: h.container.idempotency,
      idempotencyTtlMs: h.container.config.idempotencyTtlMs,
      exportTtlMs: 0,
      taskRetentionMs: 0,
      intervalMs: 60_000,
      logger: { info: () => {}, warn: () => {} },
    });
    const { keys } = await retention.pass();
    assert.ok(keys >= 1);
    assert.equal(await h.keysStored(key), 0);
    const fresh = await h.post(
      PROFILES,
      { ...body, email: h.profileBody().email },
      { ...auth, 'idempotency-key': key },
    );
    assert.equal(fresh.statusCode, 201, 'a pruned key is a new key');
    assert.equal(fresh.headers['idempotent-replayed'], undefined);
  });
}
