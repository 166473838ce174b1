// Requests refused before routing (the HTTP parser's refusals, a missing Host, an unknown Expect),
// a known path asked with the wrong method, and framework errors the table does not name: each is
// answered as every other error is, problem+json with the request id it also sends as a header.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { errorsPlugin } from '../../../src/api/plugins/errors.js';
import { suiteApp } from '../../kit/app.js';

type RawAnswer = { status: number; headers: Record<string, string>; body: string };

/** Writes bytes as they are (no client would send them) and reads the answer until the server closes. */
async function rawRequest(port: number, bytes: string): Promise<RawAnswer> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let buffered = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      buffered += chunk;
    });
    socket.on('end', () => resolve(buffered));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => reject(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 60))}`)));
  });
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function assertProblemAnswer(answer: RawAnswer, status: number, code: string) {
  assert.equal(answer.status, status, JSON.stringify(answer));
  assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/);
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  assert.equal(problem.status, status);
  assert.equal(problem.code, code);
  assert.match(String(answer.headers['x-request-id']), /^[\w-]{8,}$/);
  assert.equal(problem.request_id, answer.headers['x-request-id']);
}

describe('errors before routing', () => {
  const t = suiteApp({ caller: 'as-given' });
  const port = async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    return (t.app.server.address() as net.AddressInfo).port;
  };
  const refusals: [string, string, number, string][] = [
    [
      'a control character in a header',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n',
      400,
      'bad_request',
    ],
    ['a bare LF', 'GET /health HTTP/1.1\nHost: x\n\n', 400, 'bad_request'],
    ['an obs-fold', 'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n', 400, 'bad_request'],
    [
      'Content-Length with Transfer-Encoding',
      'POST /api/v1/profiles HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'bad_request',
    ],
    [
      'two Content-Lengths',
      'POST /api/v1/profiles HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      400,
      'bad_request',
    ],
    [
      'headers over the limit',
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    ['no Host', 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
    [
      'an unknown Expect',
      'POST /api/v1/profiles HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      417,
      'expectation_failed',
    ],
  ];
  for (const [what, bytes, status, code] of refusals) {
    it(`${status} problem+json for ${what}`, async () => {
      assertProblemAnswer(await rawRequest(await port(), bytes), status, code);
    });
  }

  it('still answers a well-formed HTTP/1.0 request without Host', async () => {
    const answer = await rawRequest(await port(), 'GET /health HTTP/1.0\r\n\r\n');
    assert.equal(answer.status, 200, answer.body);
  });
});

describe('wrong method on a known path', () => {
  const t = suiteApp({ caller: 'as-given' });
  const cases: [string, string, string][] = [
    ['PATCH', '/health', 'GET, HEAD'],
    ['DELETE', '/api/v1/profiles', 'GET, HEAD, POST'],
    ['POST', '/api/v1/profiles/0190a9f0-0000-7000-8000-000000000000', 'DELETE, GET, HEAD, PATCH, PUT'],
    ['DELETE', '/api/v1/events?last_event_id=1', 'GET, HEAD'],
  ];
  for (const [method, url, allow] of cases) {
    it(`405 with Allow for ${method} ${url}`, async () => {
      const res = await t.app.inject({ method: method as 'GET', url });
      assert.equal(res.statusCode, 405, res.body);
      assert.equal(res.headers.allow, allow);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const problem = res.json() as { code: string; request_id: string };
      assert.equal(problem.code, 'method_not_allowed');
      assert.equal(problem.request_id, res.headers['x-request-id']);
    });
  }
  it('404, not 405, for a path no route has, or a route that has nothing there', async () => {
    for (const url of ['/api/v1/nothing-here', `/media/ab/${'ab'.repeat(32)}.webp`]) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.headers.allow, undefined);
    }
    const post = await t.app.inject({ method: 'POST', url: `/media/ab/${'ab'.repeat(32)}.webp` });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });
});

describe('framework errors the table does not name', () => {
  it('keep their status under its generic code: an unknown 409 is no email_taken', async (ctx) => {
    const app = Fastify();
    ctx.after(() => app.close());
    await app.register(errorsPlugin);
    const raise = (statusCode: number, code: string) => () => {
      throw Object.assign(new Error(`framework says ${statusCode}`), { statusCode, code });
    };
    app.get('/conflict', raise(409, 'FST_ERR_SOMETHING_NEW'));
    app.get('/teapot', raise(418, 'FST_ERR_TEAPOT'));
    const conflict = await app.inject({ url: '/conflict' });
    assert.equal(conflict.statusCode, 409);
    assert.equal((conflict.json() as { code: string }).code, 'conflict');
    const teapot = await app.inject({ url: '/teapot' });
    assert.equal(teapot.statusCode, 400);
    assert.equal((teapot.json() as { code: string }).code, 'bad_request');
  });
});
