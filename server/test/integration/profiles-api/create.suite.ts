import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueEmail } from '../../kit/app.js';
import { assertProblem, BASE, type Json, type ProfilesHarness, RFC3339_UTC, UUID_V7 } from './harness.js';

export function createTests(h: ProfilesHarness) {
  const { t, send, create } = h;
  describe('POST /api/v1/profiles', () => {
    it('creates a profile: 201, Location, ETag, trimmed name, defaults', async () => {
      const email = uniqueEmail('ada');
      const res = await send('POST', BASE, { name: '  Ada  ', email: `  ${email} ` });
      assert.equal(res.statusCode, 201);
      const p = res.json() as Json;
      assert.match(String(p.id), UUID_V7);
      assert.equal(res.headers.location, `${BASE}/${p.id}`);
      assert.equal(res.headers.etag, '"1p"', 'the tag of the representation with the email');
      assert.deepEqual(
        { name: p.name, email: p.email, bio: p.bio, image_urls: p.image_urls, version: p.version },
        { name: 'Ada', email, bio: '', image_urls: [], version: 1 },
      );
      assert.match(String(p.created_at), RFC3339_UTC);
      assert.equal(p.created_at, p.updated_at);
      const read = await send('GET', String(res.headers.location));
      assert.deepEqual(read.json(), p);
      assert.equal(read.headers.etag, '"1p"');
    });

    it('keeps a bio and accepts the longest valid fields', async () => {
      const p = await create({ name: 'n'.repeat(100), bio: 'b'.repeat(1000) });
      assert.equal((p.name as string).length, 100);
      assert.equal((p.bio as string).length, 1000);
    });

    it('rejects a duplicate email in any case with 409 email_taken, keeping the original', async () => {
      const first = await create();
      const res = await send('POST', BASE, { name: 'Other', email: first.email.toUpperCase() });
      const problem = assertProblem(res, 409, 'email_taken');
      assert.deepEqual(problem.errors, [{ field: 'email', message: 'already taken' }]);
      const still = await send('GET', `${BASE}/${first.id}`);
      assert.equal((still.json() as Json).name, 'Ada Lovelace');
    });

    it('names an unknown field', async () => {
      const res = await send('POST', BASE, { name: 'A', email: uniqueEmail(), role: 'admin' });
      const problem = assertProblem(res, 400, 'validation_failed');
      assert.deepEqual(problem.errors, [{ field: 'role', message: 'unknown field "role"' }]);
    });

    const invalid: [string, unknown, string][] = [
      ['missing name', { email: 'a@b.co' }, 'name'],
      ['missing email', { name: 'A' }, 'email'],
      ['empty name', { name: '', email: 'a@b.co' }, 'name'],
      ['whitespace-only name', { name: '   ', email: 'a@b.co' }, 'name'],
      ['name over 100 characters', { name: 'x'.repeat(101), email: 'a@b.co' }, 'name'],
      ['bio over 1000 characters', { name: 'A', email: 'a@b.co', bio: 'x'.repeat(1001) }, 'bio'],
      ['invalid email', { name: 'A', email: 'not-an-email' }, 'email'],
      ['email over 254 characters', { name: 'A', email: `${'a'.repeat(250)}@b.co` }, 'email'],
      ['number as name (no coercion)', { name: 123, email: 'a@b.co' }, 'name'],
      ['null bio', { name: 'A', email: 'a@b.co', bio: null }, 'bio'],
      ['array body', [{ name: 'A', email: 'a@b.co' }], 'body'],
      ['string body', '"hello"', 'body'],
    ];
    for (const [what, body, field] of invalid) {
      it(`400 for ${what}`, async () => {
        const problem = assertProblem(await send('POST', BASE, body), 400, 'validation_failed');
        const errors = problem.errors as { field: string }[];
        assert.ok(
          errors.some((e) => e.field === field),
          `errors name ${field}: ${JSON.stringify(errors)}`,
        );
      });
    }

    it('400 invalid_json for malformed JSON, an empty JSON body, or a prototype-poisoning key', async () => {
      assertProblem(await send('POST', BASE, '{"name": "A",'), 400, 'invalid_json');
      assertProblem(await send('POST', BASE, ''), 400, 'invalid_json');
      assertProblem(
        await send('POST', BASE, '{"__proto__": {"x": 1}, "name": "A", "email": "a@b.co"}'),
        400,
        'invalid_json',
      );
    });

    it('415 for a body that is not JSON', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await t.app.inject({
          method: 'POST',
          url: BASE,
          headers: { 'content-type': type },
          payload: 'name=A',
        });
        assertProblem(res, 415, 'unsupported_media_type');
      }
    });

    it('413 for a body over 1 MiB', async () => {
      const res = await send('POST', BASE, { name: 'A', email: uniqueEmail(), bio: 'x'.repeat(1_100_000) });
      assertProblem(res, 413, 'payload_too_large');
    });
  });
}
