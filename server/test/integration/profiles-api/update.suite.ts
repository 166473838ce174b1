import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueEmail } from '../../kit/app.js';
import { assertProblem, BASE, type Json, type ProfilesHarness } from './harness.js';

export function updateTests(h: ProfilesHarness) {
  const { t, send, create } = h;
  describe('PUT and PATCH /api/v1/profiles/:id', () => {
    for (const method of ['PATCH', 'PUT'] as const) {
      it(`${method} applies any non-empty subset and bumps the version`, async () => {
        const p = await create({ bio: 'before' });
        const res = await send(method, `${BASE}/${p.id}`, { bio: 'after' });
        assert.equal(res.statusCode, 200, res.body);
        const u = res.json() as Json;
        assert.equal(u.bio, 'after');
        assert.equal(u.name, p.name);
        assert.equal(u.version, 2);
        assert.equal(res.headers.etag, '"2p"');
        assert.ok(String(u.updated_at) >= String(p.created_at));
        const both = (
          await send(method, `${BASE}/${p.id}`, { name: ' Grace ', email: uniqueEmail() })
        ).json() as Json;
        assert.equal(both.name, 'Grace');
        assert.equal(both.version, 3);
      });
    }

    it('accepts application/merge-patch+json', async () => {
      const p = await create();
      const res = await t.app.inject({
        method: 'PATCH',
        url: `${BASE}/${p.id}`,
        headers: { 'content-type': 'application/merge-patch+json' },
        payload: '{"bio":"merged"}',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as Json).bio, 'merged');
    });

    it('honours If-Match: 412 when stale, 200 when current; nothing changes on 412', async () => {
      const p = await create();
      await send('PATCH', `${BASE}/${p.id}`, { bio: 'v2' });
      assertProblem(
        await send('PATCH', `${BASE}/${p.id}`, { bio: 'lost' }, { 'if-match': '"1"' }),
        412,
        'precondition_failed',
      );
      const ok = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v3' }, { 'if-match': '"2"' });
      assert.equal(ok.statusCode, 200);
      assert.equal((ok.json() as Json).version, 3);
      // The tag of the representation with the email names the same version.
      assert.equal(ok.headers.etag, '"3p"');
      const full = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v4' }, { 'if-match': '"3p"' });
      assert.equal(full.statusCode, 200, full.body);
      const star = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v5' }, { 'if-match': '*' });
      assert.equal(star.statusCode, 200);
      const now = (await send('GET', `${BASE}/${p.id}`)).json() as Json;
      assert.deepEqual([now.bio, now.version], ['v5', 5]);
    });

    it('reads If-Match as RFC 9110 says: any member of a list, * for any version, never empty as none', async () => {
      const p = await create();
      await send('PATCH', `${BASE}/${p.id}`, { bio: 'v2' });
      // The matching tag need not come first; weak tags and unknown tags beside it are ignored.
      const later = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v3' }, { 'if-match': 'W/"2", "1", "2p"' });
      assert.equal(later.statusCode, 200, later.body);
      const refusals: [string, number, string][] = [
        ['', 412, 'precondition_failed'],
        [' , ', 412, 'precondition_failed'],
        ['W/"3"', 412, 'precondition_failed'],
        ['"1", "2"', 412, 'precondition_failed'],
        ['"3", *', 400, 'bad_request'],
        ['garbage', 400, 'bad_request'],
        ['"3" "3p"', 400, 'bad_request'],
      ];
      for (const [value, status, code] of refusals) {
        const res = await send('PATCH', `${BASE}/${p.id}`, { bio: 'lost' }, { 'if-match': value });
        assertProblem(res, status, code);
        const del = await send('DELETE', `${BASE}/${p.id}`, undefined, { 'if-match': value });
        assertProblem(del, status, code);
      }
      const now = (await send('GET', `${BASE}/${p.id}`)).json() as Json;
      assert.deepEqual([now.bio, now.version], ['v3', 3], 'no refused request changed anything');
      const gone = await send('DELETE', `${BASE}/${p.id}`, undefined, { 'if-match': '"9", "3p"' });
      assert.equal(gone.statusCode, 204, gone.body);
      assertProblem(
        await send('PATCH', `${BASE}/${p.id}`, { bio: 'x' }, { 'if-match': '*' }),
        404,
        'not_found',
      );
    });

    it('rejects bad updates with 400/409 and keeps the stored profile', async () => {
      const p = await create();
      const other = await create();
      assertProblem(await send('PATCH', `${BASE}/${p.id}`, {}), 400, 'validation_failed');
      assertProblem(await send('PATCH', `${BASE}/${p.id}`, { id: 'x' }), 400, 'validation_failed');
      assertProblem(await send('PATCH', `${BASE}/${p.id}`, { version: 9 }), 400, 'validation_failed');
      assertProblem(await send('PATCH', `${BASE}/${p.id}`, { email: 'nope' }), 400, 'validation_failed');
      assertProblem(await send('PATCH', `${BASE}/${p.id}`, { name: ' ' }), 400, 'validation_failed');
      assertProblem(await send('PUT', `${BASE}/${p.id}`, '{oops'), 400, 'invalid_json');
      assertProblem(
        await send('PATCH', `${BASE}/${p.id}`, { email: other.email.toUpperCase() }),
        409,
        'email_taken',
      );
      const res = await t.app.inject({
        method: 'PATCH',
        url: `${BASE}/${p.id}`,
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      });
      assertProblem(res, 415, 'unsupported_media_type');
      const unchanged = (await send('GET', `${BASE}/${p.id}`)).json() as Json;
      assert.deepEqual(unchanged, (await send('GET', `${BASE}/${p.id}`)).json());
      assert.equal(unchanged.version, 1);
      assert.equal(unchanged.email, p.email);
    });

    it("allows changing the case of one's own email", async () => {
      const p = await create();
      const res = await send('PATCH', `${BASE}/${p.id}`, { email: p.email.toUpperCase() });
      assert.equal(res.statusCode, 200, res.body);
    });

    it('404 for an unknown or malformed id', async () => {
      assertProblem(
        await send('PATCH', `${BASE}/0190a9f0-0000-7000-8000-000000000000`, { bio: 'x' }),
        404,
        'not_found',
      );
      assertProblem(await send('PUT', `${BASE}/nope`, { bio: 'x' }), 404, 'not_found');
      assertProblem(
        await send(
          'PATCH',
          `${BASE}/0190a9f0-0000-7000-8000-000000000000`,
          { bio: 'x' },
          { 'if-match': '"1"' },
        ),
        404,
        'not_found',
      );
    });
  });
}
