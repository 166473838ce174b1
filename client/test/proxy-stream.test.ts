// The proxy passing the API's event stream on: event by event, resumable, and ended upstream when
// the browser goes away. Against a stand-in that streams as the API does and keeps the stream open.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { forward } from '../lib/server/forward';

type Seen = { url?: string; headers?: IncomingHttpHeaders; closed?: Promise<unknown> };

function streamingUpstream(seen: Seen, open: Set<ServerResponse>) {
  return createServer((req, res) => {
    // Its end is what is awaited: an abort is that end, not a failure.
    req.on('error', () => {});
    const closed = new Promise((resolve) => req.once('close', resolve));
    Object.assign(seen, { url: req.url, headers: req.headers, closed });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write('retry: 2000\n\nid: 8\nevent: profile.updated\ndata: {"id":"p"}\n\n');
    open.add(res);
  });
}

describe('an event stream through the proxy', () => {
  let upstream: string;
  const seen: Seen = {};
  const open = new Set<ServerResponse>();
  const server = streamingUpstream(seen, open);

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    for (const res of open) res.end();
    server.close();
  });

  it('arrives event by event, unbuffered and untransformed, resumed from the last event seen', async () => {
    const browser = new AbortController();
    const request = new Request('http://localhost:3000/api/v1/events?last_event_id=7', {
      headers: { accept: 'text/event-stream', 'last-event-id': '7' },
      signal: browser.signal,
    });
    const res = await forward(request, new URL('/api/v1/events?last_event_id=7', upstream), 'tok');
    assert.equal(seen.url, '/api/v1/events?last_event_id=7');
    assert.equal(seen.headers?.['last-event-id'], '7');
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    // no-transform keeps a compressor in front (Next.js's own) from holding events back.
    assert.equal(res.headers.get('cache-control'), 'private, no-cache, no-transform');
    assert.equal(res.headers.get('x-accel-buffering'), 'no');

    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    assert.match(
      new TextDecoder().decode(value),
      /id: 8\nevent: profile\.updated\n/,
      'before the stream ends',
    );

    browser.abort();
    await seen.closed;
    await reader.cancel().catch(() => {});
  });
});
