// The proxy's guards and its forwarding, against a small upstream that reports what it was sent.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { apiTarget, forward } from '../lib/server/forward';
import { crossSiteRefusal, publicOrigin, safeReturnTo } from '../lib/server/request-guard';

const ORIGIN = 'http://localhost:3000';
const h = (headers: Record<string, string>) => new Headers(headers);

describe('where requests come from', () => {
  it('refuses writes that are not from this origin, and lets reads through', () => {
    assert.equal(crossSiteRefusal('GET', h({ 'sec-fetch-site': 'cross-site' }), ORIGIN), undefined);
    assert.equal(crossSiteRefusal('POST', h({ 'sec-fetch-site': 'same-origin' }), ORIGIN), undefined);
    assert.match(crossSiteRefusal('POST', h({ 'sec-fetch-site': 'same-site' }), ORIGIN) ?? '', /same-site/);
    assert.match(
      crossSiteRefusal('DELETE', h({ 'sec-fetch-site': 'cross-site' }), ORIGIN) ?? '',
      /cross-site/,
    );
    // Without Fetch Metadata (older browsers): the Origin header.
    assert.equal(crossSiteRefusal('PATCH', h({ origin: ORIGIN }), ORIGIN), undefined);
    assert.match(crossSiteRefusal('PATCH', h({ origin: 'http://evil.example' }), ORIGIN) ?? '', /evil/);
    assert.match(crossSiteRefusal('PUT', h({}), ORIGIN) ?? '', /neither/);
  });

  it('names the public origin from CLIENT_ORIGIN, else from what the browser (or a proxy) asked for', () => {
    assert.equal(
      publicOrigin(h({ host: 'x:1' }), 'https://profiles.example.com'),
      'https://profiles.example.com',
    );
    assert.equal(publicOrigin(h({ host: '127.0.0.1:3000' }), undefined), 'http://127.0.0.1:3000');
    const proxied = h({
      host: 'client:3000',
      'x-forwarded-host': 'p.example.com',
      'x-forwarded-proto': 'https',
    });
    assert.equal(publicOrigin(proxied, undefined), 'https://p.example.com');
  });

  it('returns after sign-in only to a path of this site', () => {
    assert.equal(safeReturnTo('/tasks?status=failed'), '/tasks?status=failed');
    for (const bad of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil',
      '/auth/logout',
    ])
      assert.equal(safeReturnTo(bad), '/', String(bad));
  });

  it('never forwards outside the prefix it serves', () => {
    assert.equal(
      apiTarget('http://api:8080', 'http://c/api/v1/profiles?q=a', '/api/')?.href,
      'http://api:8080/api/v1/profiles?q=a',
    );
    assert.equal(apiTarget('http://api:8080', 'http://c/api/%2e%2e/metrics', '/api/'), undefined);
  });
});

type Seen = { method?: string; url?: string; headers?: IncomingHttpHeaders; body?: string };

/** An API stand-in that keeps what it was sent and answers as the API does to a create. */
function recordingUpstream(seen: Seen) {
  return createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(201, {
      'content-type': 'application/json',
      vary: 'Authorization, Accept-Encoding',
      'set-cookie': 'upstream=1',
      etag: '"3p"',
      location: '/api/v1/profiles/1',
    });
    res.end('{"ok":true}');
  });
}

describe('forwarding', () => {
  let upstream: string;
  const seen: Seen = {};
  const server = recordingUpstream(seen);

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it("sends the session's token, not the browser's cookies or Authorization, and streams the body", async () => {
    const request = new Request('http://localhost:3000/api/v1/profiles?x=1', {
      method: 'POST',
      headers: {
        cookie: 'profile_session=secret',
        authorization: 'Bearer forged',
        'content-type': 'application/json',
        'if-match': '"3"',
        'idempotency-key': 'key-1',
      },
      body: '{"name":"a"}',
    });
    const res = await forward(request, new URL('/api/v1/profiles?x=1', upstream), 'tok');
    assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/api/v1/profiles?x=1', '{"name":"a"}']);
    assert.equal(seen.headers?.authorization, 'Bearer tok');
    assert.equal(seen.headers?.cookie, undefined);
    assert.equal(seen.headers?.['if-match'], '"3"');
    assert.equal(seen.headers?.['idempotency-key'], 'key-1', 'a retried create is replayed by the API');
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { ok: true });
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(res.headers.get('etag'), '"3p"');
    assert.equal(res.headers.get('location'), '/api/v1/profiles/1');
    assert.equal(res.headers.get('vary'), 'Cookie, Accept-Encoding');
    assert.equal(res.headers.get('cache-control'), 'private, no-cache', "one person's answer");
  });

  it('sends no Authorization without a session, and answers 502 when the API is down', async () => {
    await forward(
      new Request('http://localhost:3000/api/v1/profiles', { headers: { authorization: 'Bearer x' } }),
      new URL('/api/v1/profiles', upstream),
    );
    assert.equal(seen.headers?.authorization, undefined);
    const down = await forward(
      new Request('http://localhost:3000/api/v1/profiles'),
      new URL('http://127.0.0.1:9/api/v1/profiles'),
    );
    assert.equal(down.status, 502);
    assert.equal(((await down.json()) as { code: string }).code, 'unavailable');
  });
});
