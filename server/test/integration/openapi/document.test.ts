// The OpenAPI document tells the truth: errors as the handler sends them (problem+json), the bodies a
// route reads itself or takes optionally, the headers responses carry, /media, an operationId on
// every operation, and nothing unbounded a client would have to trust blindly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suiteApp } from '../../kit/app.js';

type Schema = Record<string, unknown>;
type Response = { content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> };
type Operation = {
  operationId?: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; headers: Record<string, unknown> };
};

/** Paths of strings without maxLength (nor enum, nor a bounded format) and arrays without maxItems. */
function unbounded(schema: unknown, at: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Schema;
  if (s.$ref) return out;
  const bounded = ['date-time', 'uuid', 'binary'];
  if (s.type === 'string' && s.maxLength === undefined && !s.enum && !bounded.includes(String(s.format)))
    out.push(at);
  if (s.type === 'array' && s.maxItems === undefined) out.push(at);
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties') {
      for (const [name, sub] of Object.entries(value as Schema)) unbounded(sub, `${at}.${name}`, out);
    } else if (['items', 'additionalProperties'].includes(key)) unbounded(value, `${at}.${key}`, out);
    else if (['anyOf', 'oneOf', 'allOf'].includes(key)) {
      for (const [i, sub] of (value as unknown[]).entries()) unbounded(sub, `${at}.${key}[${i}]`, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  const t = suiteApp();
  const doc = () => t.app.swagger() as unknown as Doc;
  const operations = () =>
    Object.entries(doc().paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );

  it('gives every operation a unique operationId', () => {
    const ids = operations().map(({ name, op }) => op.operationId ?? `(none: ${name})`);
    assert.ok(ids.length >= 20);
    assert.deepEqual(
      ids.filter((id) => id.startsWith('(none')),
      [],
    );
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
  });

  it('declares every error as application/problem+json, and X-Request-Id on every response', () => {
    for (const { name, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses)) {
        assert.ok(res.headers?.['X-Request-Id'], `${name} ${status}: X-Request-Id`);
        const types = Object.keys(res.content ?? {});
        if (Number(status) >= 400 && !(name === 'GET /health/ready' && status === '503')) {
          assert.deepEqual(types, ['application/problem+json'], `${name} ${status}`);
        }
      }
    }
    const ready = doc().paths['/health/ready']?.get?.responses['503'];
    assert.equal(ready?.content?.['application/json']?.schema?.$ref, '#/components/schemas/Readiness');
  });

  it('offers the image upload as a form with a file, and says a task body may be left out', () => {
    const upload = doc().paths['/api/v1/profiles/{id}/images']?.post;
    const form = upload?.requestBody?.content['multipart/form-data']?.schema as Schema;
    assert.deepEqual(form.required, ['image']);
    assert.deepEqual((form.properties as Record<string, Schema>).image?.format, 'binary');
    assert.equal(upload?.requestBody?.required, true);
    const submit = doc().paths['/api/v1/tasks/delayed']?.post;
    assert.equal(submit?.requestBody?.required, false);
  });

  it('documents the headers routes set, and /media', () => {
    const headerOf = (path: string, method: string, status: string) =>
      Object.keys(doc().paths[path]?.[method]?.responses[status]?.headers ?? {});
    assert.ok(headerOf('/api/v1/profiles/{id}', 'get', '200').includes('ETag'));
    assert.ok(headerOf('/api/v1/profiles/{id}', 'patch', '200').includes('ETag'));
    assert.ok(headerOf('/api/v1/profiles', 'post', '201').includes('Location'));
    assert.ok(headerOf('/api/v1/profiles', 'get', '200').includes('Link'));
    assert.ok(headerOf('/api/v1/tasks', 'get', '200').includes('Link'));
    assert.ok(headerOf('/api/v1/tasks/delayed', 'post', '202').includes('Location'));
    assert.ok(headerOf('/api/v1/profiles', 'get', '429').includes('Retry-After'));
    assert.ok(headerOf('/api/v1/me', 'get', '401').includes('WWW-Authenticate'));
    // Idempotency-Key: the header each creating POST takes, its replay marker, the 409's Retry-After.
    for (const [path, status] of [
      ['/api/v1/profiles', '201'],
      ['/api/v1/profiles/{id}/images', '201'],
      ['/api/v1/tasks/delayed', '202'],
    ] as const) {
      const op = doc().paths[path]?.post as { parameters?: { name: string; in: string }[] } | undefined;
      assert.ok(
        op?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
        path,
      );
      assert.ok(headerOf(path, 'post', status).includes('Idempotent-Replayed'), path);
      assert.ok(headerOf(path, 'post', '409').includes('Retry-After'), path);
      assert.ok(headerOf(path, 'post', '422').includes('X-Request-Id'), path);
    }
    const media = doc().paths['/media/{key}']?.get;
    assert.deepEqual(Object.keys(media?.responses ?? {}).sort(), ['200', '206', '304', '404', '416', '503']);
  });

  it('bounds every string and array it describes', () => {
    const found: string[] = [];
    for (const [name, schema] of Object.entries(doc().components.schemas)) unbounded(schema, name, found);
    for (const { name, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses)) {
        for (const media of Object.values(res.content ?? {}))
          unbounded(media.schema, `${name} ${status}`, found);
      }
      for (const media of Object.values(op.requestBody?.content ?? {}))
        unbounded(media.schema, `${name} body`, found);
      const parameters = (op as { parameters?: { name: string; schema: Schema }[] }).parameters ?? [];
      for (const p of parameters) unbounded(p.schema, `${name} ${p.name}`, found);
    }
    assert.deepEqual(found, []);
  });

  it('is served as what it describes: a 404 is problem+json, an upload without a file names the part', async () => {
    const missing = await t.app.inject({ url: '/api/v1/profiles/0190a9f0-0000-7000-8000-000000000000' });
    assert.match(String(missing.headers['content-type']), /^application\/problem\+json/);
    const submitted = await t.app.inject({ method: 'POST', url: '/api/v1/tasks/delayed' });
    assert.equal(submitted.statusCode, 202, 'no body at all is a valid submission');
  });
});
