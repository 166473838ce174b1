// Bodies that parse but must not get in: JSON nested deeper than anything the API needs (it once
// overflowed the stack while a task payload was copied: a 500), and strings that are not Unicode
// (lone surrogates, which JSON's \u escapes allow and PostgreSQL would store as U+FFFD).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../../src/lib/json-shape.js';
import { suiteApp, uniqueEmail } from '../../kit/app.js';

type Json = Record<string, unknown>;

const nested = (levels: number) => `${'['.repeat(levels - 1)}{}${']'.repeat(levels - 1)}`;

describe('hostile JSON bodies', () => {
  const t = suiteApp();
  const send = (method: 'POST' | 'PATCH', url: string, payload: string, type = 'application/json') =>
    t.app.inject({ method, url, headers: { 'content-type': type }, payload });
  const profileCount = async () => {
    const res = await t.app.inject({ url: '/api/v1/profiles?limit=100' });
    return (res.json() as unknown[]).length;
  };
  const taskCount = async () => {
    const res = await t.app.inject({ url: '/api/v1/tasks?limit=100' });
    return (res.json() as unknown[]).length;
  };

  it('400 naming the limit for a task payload ~2,000 levels deep, storing nothing', async () => {
    const before = await taskCount();
    const body = `{"type":"echo","payload":{"deep":${nested(2_000)}}}`;
    const res = await send('POST', '/api/v1/tasks/delayed', body);
    assert.equal(res.statusCode, 400, res.body);
    const problem = res.json() as { code: string; detail: string };
    assert.equal(problem.code, 'bad_request');
    assert.match(problem.detail, new RegExp(`more than ${MAX_JSON_DEPTH} levels`));
    assert.equal(await taskCount(), before);
  });

  it('takes JSON exactly at the depth limit, refuses one level more, for every JSON body', async () => {
    // The payload object is level 2 of the body, so the value inside it has MAX - 2 levels left.
    const at = `{"type":"echo","payload":{"v":${nested(MAX_JSON_DEPTH - 2)}}}`;
    const ok = await send('POST', '/api/v1/tasks/delayed', at);
    assert.equal(ok.statusCode, 202, ok.body);
    const over = `{"type":"echo","payload":{"v":${nested(MAX_JSON_DEPTH - 1)}}}`;
    assert.equal((await send('POST', '/api/v1/tasks/delayed', over)).statusCode, 400);
    const created = await send(
      'POST',
      '/api/v1/profiles',
      JSON.stringify({ name: 'Deep', email: uniqueEmail() }),
    );
    const id = (created.json() as Json).id as string;
    for (const type of ['application/json', 'application/merge-patch+json']) {
      const res = await send('PATCH', `/api/v1/profiles/${id}`, `{"bio":${nested(100)}}`, type);
      assert.equal(res.statusCode, 400, res.body);
      assert.match((res.json() as { detail: string }).detail, /levels deep/);
    }
    const stored = (await t.app.inject({ url: `/api/v1/profiles/${id}` })).json() as Json;
    assert.equal(stored.version, 1);
  });

  const loneSurrogates: [string, string][] = [
    ['a lone high surrogate', 'Ada \\ud800'],
    ['a lone low surrogate', '\\udc00 Lovelace'],
    ['surrogates in the wrong order', '\\udc00\\ud800'],
  ];
  for (const [what, escaped] of loneSurrogates) {
    it(`400 for ${what} in name or bio, on create and on update`, async () => {
      const before = await profileCount();
      for (const field of ['name', 'bio']) {
        const body = `{"name":"Ada","email":"${uniqueEmail()}","${field}":"${escaped}"}`;
        const res = await send('POST', '/api/v1/profiles', body);
        assert.equal(res.statusCode, 400, res.body);
        const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
        assert.equal(problem.code, 'validation_failed');
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          [field],
        );
        assert.match(problem.errors[0]?.message ?? '', /surrogate/);
      }
      assert.equal(await profileCount(), before, 'nothing was created');
      const created = await send(
        'POST',
        '/api/v1/profiles',
        JSON.stringify({ name: 'Ada', email: uniqueEmail() }),
      );
      const id = (created.json() as Json).id as string;
      const res = await send('PATCH', `/api/v1/profiles/${id}`, `{"bio":"${escaped}"}`);
      assert.equal(res.statusCode, 400, res.body);
      const stored = (await t.app.inject({ url: `/api/v1/profiles/${id}` })).json() as Json;
      assert.deepEqual([stored.version, stored.bio], [1, '']);
    });
  }

  it('keeps well-formed text outside the BMP (a surrogate pair) exactly as sent', async () => {
    const body = `{"name":"Ada \u{1F600}","email":"${uniqueEmail()}","bio":"\\ud83d\\ude00 fine"}`;
    const res = await send('POST', '/api/v1/profiles', body);
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json() as Json;
    assert.equal(created.name, 'Ada \u{1F600}');
    assert.equal(created.bio, '\u{1F600} fine', 'an escaped pair is the same character');
  });

  it('refuses a lone surrogate in a task payload, naming its path', async () => {
    const res = await send(
      'POST',
      '/api/v1/tasks/delayed',
      '{"type":"echo","payload":{"note":["ok","\\ud800"]}}',
    );
    assert.equal(res.statusCode, 400, res.body);
    const problem = res.json() as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['payload.note.1'],
    );
  });
});
