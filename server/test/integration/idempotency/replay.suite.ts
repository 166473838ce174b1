import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { imageForm, photoJpeg } from '../../kit/images.js';
import { openapiContract } from '../../kit/openapi-contract.js';
import { type IdempotencyHarness, type Json, PROFILES, TASKS } from './harness.js';

/** What a retry must get again: the status, the headers that describe the outcome, the body. */
function sameAnswer(first: { statusCode: number; headers: Json; body: string }, again: typeof first) {
  assert.equal(again.statusCode, first.statusCode);
  for (const name of ['location', 'etag', 'content-type'])
    assert.equal(again.headers[name], first.headers[name], name);
  assert.equal(again.body, first.body);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(first.headers['idempotent-replayed'], undefined);
}

export function replayTests(h: IdempotencyHarness) {
  it('a retried create is answered as the first was (201, Location, ETag, body), and one profile exists', async () => {
    const auth = await h.admin();
    const key = h.key();
    const body = h.profileBody();
    const first = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
    assert.equal(first.statusCode, 201, first.body);
    const again = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
    sameAnswer(first, again);
    // Another instance of the API replays it too: the key lives in the database.
    sameAnswer(first, await h.post(PROFILES, body, { ...auth, 'idempotency-key': key }, 'second'));
    assert.equal(await h.profilesWithEmail(String(body.email)), 1);
    const contract = openapiContract((await h.app.inject({ url: '/openapi.json' })).json());
    contract.check('POST', PROFILES, again);
  });

  it('without the header nothing changes: a repeat is a new request (409 email_taken), no key kept', async () => {
    const auth = await h.admin();
    const body = h.profileBody();
    const before = await h.allKeys();
    assert.equal((await h.post(PROFILES, body, auth)).statusCode, 201);
    const repeat = await h.post(PROFILES, body, auth);
    assert.equal(repeat.statusCode, 409);
    assert.equal(repeat.json().code, 'email_taken');
    assert.equal(repeat.headers['idempotent-replayed'], undefined);
    assert.equal(await h.allKeys(), before);
  });

  it('a field order of its own is the same request: replayed, not a 422', async () => {
    const auth = await h.admin();
    const key = h.key();
    const body = h.profileBody();
    const first = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    sameAnswer(first, await h.post(PROFILES, reordered, { ...auth, 'idempotency-key': key }));
  });

  it('an error answer is kept as the answer to its key: the same 409 after the conflict went away', async () => {
    const auth = await h.admin();
    const body = h.profileBody();
    const existing = await h.post(PROFILES, body, auth);
    const key = h.key();
    const first = await h.post(PROFILES, body, { ...auth, 'idempotency-key': key });
    assert.equal(first.statusCode, 409);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `${PROFILES}/${existing.json().id}`,
      headers: auth,
    });
    assert.equal(del.statusCode, 204);
    sameAnswer(first, await h.post(PROFILES, body, { ...auth, 'idempotency-key': key }));
    assert.equal(await h.profilesWithEmail(String(body.email)), 0, 'the replay created nothing');
  });

  it('keys are per caller: another caller using the same key makes a request of its own', async () => {
    const key = h.key();
    const a = await h.post(PROFILES, h.profileBody(), { ...(await h.admin()), 'idempotency-key': key });
    const b = await h.post(PROFILES, h.profileBody(), { ...(await h.admin()), 'idempotency-key': key });
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 201, b.body);
    assert.notEqual(a.json().id, b.json().id);
    assert.equal(b.headers['idempotent-replayed'], undefined);
  });

  it('a retried task submission is replayed (202, Location, the same task), and one task exists', async () => {
    const auth = await h.admin();
    const key = h.key();
    const tag = randomUUID();
    const body = { type: 'echo', payload: { tag }, delay: 3600 };
    const first = await h.post(TASKS, body, { ...auth, 'idempotency-key': key });
    assert.equal(first.statusCode, 202, first.body);
    sameAnswer(first, await h.post(TASKS, body, { ...auth, 'idempotency-key': key }, 'second'));
    assert.equal(await h.tasksWithTag(tag), 1);
  });

  it('a retried upload is replayed (201, the same image), and the profile has it once; another picture under the key is a 422', async () => {
    const auth = await h.admin();
    const profile = (await h.post(PROFILES, h.profileBody(), auth)).json() as { id: string };
    const url = `${PROFILES}/${profile.id}/images`;
    const key = h.key();
    const jpeg = await photoJpeg(64, 48);
    // A new form (a new boundary) on every attempt, as a browser retrying makes.
    const upload = (data: Buffer) => {
      const form = imageForm(data);
      return h.app.inject({
        method: 'POST',
        url,
        headers: { ...auth, 'content-type': form.contentType, 'idempotency-key': key },
        payload: form.body,
      });
    };
    const first = await upload(jpeg);
    assert.equal(first.statusCode, 201, first.body);
    sameAnswer(first, await upload(jpeg));
    const images = await h.app.inject({ url, headers: auth });
    assert.equal(images.json().length, 1);
    const other = await upload(await photoJpeg(64, 48, 2));
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(other.json().code, 'idempotency_key_reused');
    assert.equal((await h.app.inject({ url, headers: auth })).json().length, 1);
  });
}
