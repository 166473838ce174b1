import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anonymous, uniqueEmail } from '../../kit/app.js';
import { assertProblem, BASE, type Json, type ProfilesHarness } from './harness.js';

export function listTests(h: ProfilesHarness) {
  const { send, create } = h;
  describe('GET /api/v1/profiles (list)', () => {
    let lists = 0;
    /**
     * Seven profiles under a tag of this test's own, oldest first: what a test adds to its list
     * cannot show up in another's. The tag ends in a letter so that no tag contains another.
     */
    const members = async () => {
      const tag = `lst${Date.now().toString(36)}x${lists++}z`;
      const made: string[] = [];
      for (let i = 0; i < 7; i++)
        made.push((await create({ name: `${tag} member ${i}`, email: uniqueEmail(tag) })).id);
      return { tag, made };
    };

    it('returns a bare array, newest first, default limit 20, without emails for the public', async () => {
      await members();
      const res = await send('GET', BASE, undefined, anonymous());
      assert.equal(res.statusCode, 200);
      const list = res.json() as Json[];
      assert.ok(Array.isArray(list));
      assert.ok(list.length >= 7 && list.length <= 20, `${list.length} items`);
      assert.ok(
        list.every((p) => !('email' in p)),
        'no email in a public list',
      );
      const times = list.map((p) => `${p.created_at}|${p.id}`);
      assert.deepEqual(times, [...times].sort().reverse());
    });

    it('filters with q on name (and for an admin on email), case-insensitively', async () => {
      const { tag, made } = await members();
      for (const headers of [{}, anonymous()]) {
        const byName = (
          await send('GET', `${BASE}?q=${tag.toUpperCase()}%20MEMBER&limit=100`, undefined, headers)
        ).json() as Json[];
        assert.deepEqual(
          byName.map((p) => p.id),
          [...made].reverse(),
        );
      }
      const byEmail = (await send('GET', `${BASE}?q=${tag}.&limit=100`)).json() as Json[];
      assert.equal(byEmail.length, made.length);
      const publicByEmail = await send('GET', `${BASE}?q=${tag}.&limit=100`, undefined, anonymous());
      assert.deepEqual(publicByEmail.json(), [], 'no one else finds a profile by its email');
      const none = (await send('GET', `${BASE}?q=${tag}%25`)).json() as Json[];
      assert.deepEqual(none, [], '% in q is literal');
    });

    it('pages with an opaque cursor and Link rel="next", stable under concurrent inserts', async () => {
      const { tag, made } = await members();
      const seen: string[] = [];
      let url: string | undefined = `${BASE}?q=${tag}&limit=3`;
      let pages = 0;
      while (url) {
        const res = await send('GET', url);
        assert.equal(res.statusCode, 200, res.body);
        seen.push(...(res.json() as Json[]).map((p) => String(p.id)));
        // A newer profile appearing between pages must not shift what later pages return.
        if (pages === 0) await create({ name: `${tag} member late`, email: uniqueEmail(tag) });
        const link = res.headers.link as string | undefined;
        url = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
        if (link) assert.ok(url, `well-formed Link: ${link}`);
        pages++;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...made].reverse(), 'every profile exactly once, in order');
    });

    it('omits Link on the last page', async () => {
      const { tag, made } = await members();
      const res = await send('GET', `${BASE}?q=${tag}&limit=100`);
      assert.equal((res.json() as Json[]).length, made.length);
      assert.equal(res.headers.link, undefined);
    });

    for (const [what, query, code] of [
      ['limit over 100', 'limit=101', 'validation_failed'],
      ['limit 0', 'limit=0', 'validation_failed'],
      ['non-numeric limit', 'limit=ten', 'validation_failed'],
      ['garbage cursor', 'cursor=%%%', 'invalid_cursor'],
      [
        'forged cursor',
        `cursor=${Buffer.from('yesterday|not-a-uuid').toString('base64url')}`,
        'invalid_cursor',
      ],
      ['unknown parameter', 'sort=name', 'validation_failed'],
    ] as const) {
      it(`400 for ${what}`, async () => {
        assertProblem(await send('GET', `${BASE}?${query}`), 400, code);
      });
    }
  });
}
