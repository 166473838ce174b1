import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProblem, BASE, type Json, type ProfilesHarness } from './harness.js';

export function crossCuttingTests(h: ProfilesHarness) {
  const { send, create } = h;
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
}
