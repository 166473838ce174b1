import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Database, QueryObserver } from '../../src/db/database.js';
import { startTestApp, type TestApp, uniqueEmail } from '../kit/app.js';

type Json = Record<string, unknown>;
const BASE = '/api/v1/profiles';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function assertProblem(res: LightMyRequestResponse, status: number, code: string): Json {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Json;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.request_id, res.headers['x-request-id']);
  assert.doesNotMatch(res.body, /at .+\.(ts|js):\d+/, 'no stack trace');
  return body;
}

/**
 * The profiles API contract, run once per database engine: real PostgreSQL and embedded
 * PGlite must behave identically.
 */
export function profileApiSuite(
  engine: string,
  openDb: (observe: QueryObserver) => Promise<{ db: Database; cleanup(): Promise<void> }>,
  env: () => Record<string, string> = () => ({}),
) {
  describe(`profiles API on ${engine}`, () => {
    let t: TestApp;
    let cleanup: () => Promise<void>;

    before(async () => {
      t = await startTestApp({
        env: env(),
        openDatabase: async (observe) => {
          const opened = await openDb(observe);
          cleanup = opened.cleanup;
          return opened.db;
        },
      });
    });
    after(async () => {
      await t?.close();
      await cleanup?.();
    });

    const send = (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    const create = async (fields: Json = {}) => {
      const res = await send('POST', BASE, { name: 'Ada Lovelace', email: uniqueEmail(), ...fields });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Json & { id: string; version: number; email: string };
    };

    describe('POST /api/v1/profiles', () => {
      it('creates a profile: 201, Location, ETag, trimmed name, defaults', async () => {
        const email = uniqueEmail('ada');
        const res = await send('POST', BASE, { name: '  Ada  ', email: `  ${email} ` });
        assert.equal(res.statusCode, 201);
        const p = res.json() as Json;
        assert.match(String(p.id), UUID_V7);
        assert.equal(res.headers.location, `${BASE}/${p.id}`);
        assert.equal(res.headers.etag, '"1"');
        assert.deepEqual(
          { name: p.name, email: p.email, bio: p.bio, image_urls: p.image_urls, version: p.version },
          { name: 'Ada', email, bio: '', image_urls: [], version: 1 },
        );
        assert.match(String(p.created_at), RFC3339_UTC);
        assert.equal(p.created_at, p.updated_at);
        const read = await send('GET', String(res.headers.location));
        assert.deepEqual(read.json(), p);
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

    describe('GET /api/v1/profiles (list)', () => {
      let tag: string;
      let made: string[];
      before(async () => {
        tag = `lst${Date.now().toString(36)}`;
        made = [];
        for (let i = 0; i < 7; i++)
          made.push((await create({ name: `${tag} member ${i}`, email: uniqueEmail(tag) })).id);
      });

      it('returns a bare array, newest first, default limit 20', async () => {
        const res = await send('GET', BASE);
        assert.equal(res.statusCode, 200);
        const list = res.json() as Json[];
        assert.ok(Array.isArray(list));
        assert.ok(list.length <= 20);
        const times = list.map((p) => `${p.created_at}|${p.id}`);
        assert.deepEqual(times, [...times].sort().reverse());
      });

      it('filters with q on name or email, case-insensitively', async () => {
        const byName = (
          await send('GET', `${BASE}?q=${tag.toUpperCase()}%20MEMBER&limit=100`)
        ).json() as Json[];
        assert.deepEqual(
          byName.map((p) => p.id),
          [...made].reverse(),
        );
        const byEmail = (
          await send('GET', `${BASE}?q=${made.length ? `${tag}.` : ''}&limit=100`)
        ).json() as Json[];
        assert.equal(byEmail.length, made.length);
        const none = (await send('GET', `${BASE}?q=${tag}%25`)).json() as Json[];
        assert.deepEqual(none, [], '% in q is literal');
      });

      it('pages with an opaque cursor and Link rel="next", stable under concurrent inserts', async () => {
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
        const res = await send('GET', `${BASE}?q=${tag}&limit=100`);
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

    describe('GET /api/v1/profiles/:id', () => {
      it('answers 200 with ETag and X-Cache, and 304 for a matching If-None-Match', async () => {
        const p = await create();
        const res = await send('GET', `${BASE}/${p.id}`);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers.etag, '"1"');
        assert.match(String(res.headers['x-cache']), /^(HIT|MISS)$/);
        const cached = await send('GET', `${BASE}/${p.id}`, undefined, { 'if-none-match': '"1"' });
        assert.equal(cached.statusCode, 304);
        assert.equal(cached.body, '');
        const weak = await send('GET', `${BASE}/${p.id}`, undefined, { 'if-none-match': 'W/"1"' });
        assert.equal(weak.statusCode, 304);
        const stale = await send('GET', `${BASE}/${p.id}`, undefined, { 'if-none-match': '"7"' });
        assert.equal(stale.statusCode, 200);
      });

      it('404 for an unknown id and for a malformed one', async () => {
        assertProblem(await send('GET', `${BASE}/0190a9f0-0000-7000-8000-000000000000`), 404, 'not_found');
        for (const bad of ['42', 'not-a-uuid', "1'%20OR%20'1'='1", 'x'.repeat(500)]) {
          assertProblem(await send('GET', `${BASE}/${bad}`), 404, 'not_found');
        }
      });
    });

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
          assert.equal(res.headers.etag, '"2"');
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
        assertProblem(
          await send('PATCH', `${BASE}/${p.id}`, { bio: 'lost' }, { 'if-match': 'garbage' }),
          412,
          'precondition_failed',
        );
        const ok = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v3' }, { 'if-match': '"2"' });
        assert.equal(ok.statusCode, 200);
        assert.equal((ok.json() as Json).version, 3);
        const star = await send('PATCH', `${BASE}/${p.id}`, { bio: 'v4' }, { 'if-match': '*' });
        assert.equal(star.statusCode, 200);
        const now = (await send('GET', `${BASE}/${p.id}`)).json() as Json;
        assert.deepEqual([now.bio, now.version], ['v4', 4]);
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
        assertProblem(
          await send('DELETE', `${BASE}/${p.id}`, undefined, { 'if-match': '"1"' }),
          412,
          'precondition_failed',
        );
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

    describe('cross-cutting', () => {
      it('echoes a caller X-Request-Id, makes one otherwise, and replaces an unsafe one', async () => {
        const mine = await send('GET', '/health', undefined, { 'x-request-id': 'trace-abc.123' });
        assert.equal(mine.headers['x-request-id'], 'trace-abc.123');
        const made = await send('GET', '/health');
        assert.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/);
        const unsafe = await send('GET', '/health', undefined, { 'x-request-id': 'bad id\twith spaces' });
        assert.notEqual(unsafe.headers['x-request-id'], 'bad id\twith spaces');
        const problem = await send('GET', `${BASE}/nope`, undefined, { 'x-request-id': 'req-42' });
        assert.equal((problem.json() as Json).request_id, 'req-42');
      });

      it('answers an unknown route with a problem+json 404', async () => {
        assertProblem(await send('GET', '/api/v1/nothing-here'), 404, 'not_found');
        assertProblem(await send('POST', '/api/v1/profiles/x/y', { a: 1 }), 404, 'not_found');
      });

      it('never answers 500 to hostile input', async () => {
        const p = await create();
        const bodies = [
          'null',
          '[]',
          '0',
          'true',
          '{"name":{"$gt":""}}',
          '{"email":["a@b.co"]}',
          '{"bio":"\\u0000"}',
          `{"name":"${'\\ud800'}"}`,
        ];
        for (const body of bodies) {
          for (const [method, url] of [
            ['POST', BASE],
            ['PATCH', `${BASE}/${p.id}`],
            ['PUT', `${BASE}/${p.id}`],
          ] as const) {
            const res = await send(method, url, body);
            assert.ok(
              res.statusCode >= 200 && res.statusCode < 500,
              `${method} ${body} → ${res.statusCode} ${res.body}`,
            );
          }
        }
        for (const q of [
          'q=%00',
          'q=%5C',
          `q=${'x'.repeat(101)}`,
          'limit=1e3',
          'limit=-1',
          'cursor=',
          'limit=1&limit=2',
        ]) {
          const res = await send('GET', `${BASE}?${q}`);
          assert.ok(res.statusCode < 500, `${q} → ${res.statusCode} ${res.body}`);
        }
      });

      it('serves liveness, readiness with per-dependency status, metrics, and OpenAPI', async () => {
        assert.deepEqual((await send('GET', '/health')).json(), { status: 'ok' });
        const ready = await send('GET', '/health/ready');
        assert.equal(ready.statusCode, 200);
        const body = ready.json() as { status: string; checks: { database: { status: string } } };
        assert.equal(body.status, 'ready');
        assert.equal(body.checks.database.status, 'up');

        const p = await create();
        await send('GET', `${BASE}/${p.id}`);
        const metrics = await send('GET', '/metrics');
        assert.equal(metrics.statusCode, 200);
        assert.match(String(metrics.headers['content-type']), /^text\/plain/);
        assert.match(
          metrics.body,
          /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/profiles\/:id",status_code="200"\} [1-9]/,
        );
        assert.match(metrics.body, /db_pool_connections_max\{pool="[a-z]+"\} \d+/);
        assert.match(
          metrics.body,
          /db_query_duration_seconds_count\{query="profile_by_id",outcome="ok"\} [1-9]/,
        );

        const spec = (await send('GET', '/openapi.json')).json() as {
          openapi: string;
          paths: Record<string, unknown>;
        };
        assert.match(spec.openapi, /^3\./);
        for (const path of [
          '/api/v1/profiles',
          '/api/v1/profiles/{id}',
          '/api/v1/tasks/delayed',
          '/api/v1/tasks/{id}',
          '/health',
          '/health/ready',
          '/metrics',
        ]) {
          assert.ok(spec.paths[path], `OpenAPI documents ${path}`);
        }
        const docs = await send('GET', '/docs/');
        assert.equal(docs.statusCode, 200);
        assert.match(docs.body, /swagger/i);
      });
    });
  });
}
