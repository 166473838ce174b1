// Emails are the owner's and the admins' only: absent from every answer to anyone else (single
// reads, cache hits, lists, searches) and from profile events; the cache never hands one viewer's
// representation to another.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteApp, type TestDatabaseOpener } from '../../kit/app.js';
import { people } from './callers.js';

type Profile = { id: string; email?: string; version: number };

export function visibilitySuite(
  engine: string,
  database: TestDatabaseOpener,
  env: () => Record<string, string> = () => ({}),
) {
  describe(`email visibility on ${engine}`, () => {
    const t = suiteApp(() => ({ env: env(), testDatabase: database, caller: 'as-given' }));
    let who: Awaited<ReturnType<typeof people>>;
    let profile: Profile;
    const get = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers });

    before(async () => {
      who = await people('visibility');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        headers: who.owner.headers,
        payload: { name: 'Grace Visible', email: who.ownerEmail },
      });
      assert.equal(res.statusCode, 201, res.body);
      profile = res.json() as Profile;
    });

    it('a read shows the email to the owner and admins only, each with its own ETag, hit or miss', async () => {
      const url = `/api/v1/profiles/${profile.id}`;
      const seen: string[] = [];
      // Anonymous first (a miss filling the cache), then everyone, twice: hits serve the right one.
      for (const round of [1, 2]) {
        for (const [name, headers, private_] of [
          ['anonymous', who.anonymous.headers, false],
          ['other', who.other.headers, false],
          ['owner', who.owner.headers, true],
          ['admin', who.admin.headers, true],
        ] as const) {
          const res = await get(url, headers);
          assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
          const body = res.json() as Profile;
          assert.equal(body.email, private_ ? who.ownerEmail : undefined, `${name} (round ${round})`);
          assert.equal(
            res.body.includes(who.ownerEmail),
            private_,
            `${name}: the email anywhere in the body`,
          );
          assert.equal(res.headers.etag, private_ ? `"${profile.version}p"` : `"${profile.version}"`);
          assert.match(String(res.headers.vary), /Authorization/);
          seen.push(String(res.headers['x-cache']));
        }
      }
      assert.deepEqual(seen.slice(4), ['HIT', 'HIT', 'HIT', 'HIT'], 'the second round comes from the cache');
    });

    it("a public ETag does not answer 304 to the owner (another representation), the owner's own does", async () => {
      const url = `/api/v1/profiles/${profile.id}`;
      const pub = await get(url, { ...who.owner.headers, 'if-none-match': `"${profile.version}"` });
      assert.equal(pub.statusCode, 200);
      const own = await get(url, { ...who.owner.headers, 'if-none-match': `"${profile.version}p"` });
      assert.equal(own.statusCode, 304);
    });

    it('lists show emails only where the viewer may see them', async () => {
      for (const [name, headers, visible] of [
        ['anonymous', who.anonymous.headers, false],
        ['other', who.other.headers, false],
        ['owner', who.owner.headers, true],
        ['admin', who.admin.headers, true],
      ] as const) {
        const res = await get('/api/v1/profiles?limit=100', headers);
        const items = res.json() as Profile[];
        const mine = items.find((p) => p.id === profile.id);
        assert.ok(mine, name);
        assert.equal(mine.email, visible ? who.ownerEmail : undefined, name);
        if (name !== 'admin') {
          const others = items.filter((p) => p.id !== profile.id && p.email !== undefined);
          assert.deepEqual(others, [], `${name} sees no one else's email`);
        }
      }
    });

    it('a search matches emails only for admins: no one finds a person by an email they cannot see', async () => {
      const q = encodeURIComponent(who.ownerEmail);
      for (const [name, headers] of [
        ['anonymous', who.anonymous.headers],
        ['other', who.other.headers],
        ['owner', who.owner.headers],
      ] as const) {
        const res = await get(`/api/v1/profiles?q=${q}`, headers);
        assert.deepEqual(res.json(), [], name);
      }
      const admin = await get(`/api/v1/profiles?q=${q}`, who.admin.headers);
      assert.deepEqual(
        (admin.json() as Profile[]).map((p) => p.id),
        [profile.id],
      );
      const byName = await get('/api/v1/profiles?q=Grace%20Visible');
      assert.ok(
        (byName.json() as Profile[]).some((p) => p.id === profile.id),
        'names stay searchable by anyone',
      );
    });

    it('profile events carry public fields only: no email, no owner', async () => {
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/profiles/${profile.id}`,
        headers: who.owner.headers,
        payload: { email: `changed.${who.ownerEmail}` },
      });
      const rows = await t.container.db.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM outbox_events WHERE payload->>'id' = $1`,
        [profile.id],
        'test_events_of',
      );
      assert.ok(rows.length >= 2, 'created and updated');
      for (const { payload } of rows) {
        assert.deepEqual(Object.keys(payload).sort(), [
          'bio',
          'created_at',
          'id',
          'image_urls',
          'name',
          'time',
          'updated_at',
          'version',
        ]);
        assert.ok(!JSON.stringify(payload).includes('@'));
        assert.ok(!JSON.stringify(payload).includes(who.ownerSub));
      }
    });
  });
}
