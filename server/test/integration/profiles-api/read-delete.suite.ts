import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anonymous } from '../../kit/app.js';
import { assertProblem, BASE, type ProfilesHarness } from './harness.js';

export function readDeleteTests(h: ProfilesHarness) {
  const { send, create } = h;
  describe('GET /api/v1/profiles/:id', () => {
    it('answers 200 with ETag and X-Cache, and 304 for a matching If-None-Match', async () => {
      const p = await create();
      const url = `${BASE}/${p.id}`;
      // A public read: anonymous, without the email, tagged as the public representation.
      const res = await send('GET', url, undefined, anonymous());
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.etag, '"1"');
      assert.match(String(res.headers['x-cache']), /^(HIT|MISS)$/);
      const { email: _email, ...publicFields } = p;
      assert.deepEqual(res.json(), publicFields);
      const cached = await send('GET', url, undefined, anonymous({ 'if-none-match': '"1"' }));
      assert.equal(cached.statusCode, 304);
      assert.equal(cached.body, '');
      const weak = await send('GET', url, undefined, anonymous({ 'if-none-match': 'W/"1"' }));
      assert.equal(weak.statusCode, 304);
      const stale = await send('GET', url, undefined, anonymous({ 'if-none-match': '"7"' }));
      assert.equal(stale.statusCode, 200);
      // An admin sees the email: another representation, with a tag of its own.
      const full = await send('GET', url);
      assert.equal(full.headers.etag, '"1p"');
      assert.deepEqual(full.json(), p);
      assert.equal((await send('GET', url, undefined, { 'if-none-match': '"1p"' })).statusCode, 304);
      const publicTag = await send('GET', url, undefined, { 'if-none-match': '"1"' });
      assert.equal(publicTag.statusCode, 200, 'the public tag does not match the full representation');
      assert.deepEqual(publicTag.json(), p);
    });

    it('404 for an unknown id and for a malformed one', async () => {
      assertProblem(await send('GET', `${BASE}/0190a9f0-0000-7000-8000-000000000000`), 404, 'not_found');
      for (const bad of ['42', 'not-a-uuid', "1'%20OR%20'1'='1", 'x'.repeat(500)]) {
        assertProblem(await send('GET', `${BASE}/${bad}`), 404, 'not_found');
      }
    });
  });

  describe('DELETE /api/v1/profiles/:id', () => {
    it('204, then 404 on read and on a second delete', async () => {
      const p = await create();
      const res = await send('DELETE', `${BASE}/${p.id}`);
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assertProblem(await send('GET', `${BASE}/${p.id}`), 404, 'not_found');
      assertProblem(await send('DELETE', `${BASE}/${p.id}`), 404, 'not_found');
      assertProblem(await send('DELETE', `${BASE}/bad-id`), 404, 'not_found');
    });

    it('412 on a stale If-Match, keeping the profile', async () => {
      const p = await create();
      await send('PATCH', `${BASE}/${p.id}`, { bio: 'v2' });
      for (const stale of ['"1"', '"1p"']) {
        assertProblem(
          await send('DELETE', `${BASE}/${p.id}`, undefined, { 'if-match': stale }),
          412,
          'precondition_failed',
        );
      }
      assert.equal((await send('GET', `${BASE}/${p.id}`)).statusCode, 200);
      assert.equal(
        (await send('DELETE', `${BASE}/${p.id}`, undefined, { 'if-match': '"2"' })).statusCode,
        204,
      );
    });

    it('frees the email for a new profile', async () => {
      const p = await create();
      await send('DELETE', `${BASE}/${p.id}`);
      assert.equal((await send('POST', BASE, { name: 'Again', email: p.email })).statusCode, 201);
    });
  });
}
