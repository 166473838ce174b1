import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Profile } from '../../src/api/schemas/profile.js';
import { suiteApp, uniqueEmail } from '../kit/app.js';
import { adminToken, bearer, testProcessEnv } from '../kit/identity.js';
import { imageForm, photoJpeg } from '../kit/images.js';
import { spawnServer } from '../kit/process.js';
import { postgresUnavailable, suiteDatabase } from '../kit/services.js';
import { anySkip, tool } from '../kit/tools.js';

const MiB = 1_048_576;

/**
 * Streams a multipart upload of `total` bytes in 64 KiB chunks over a raw socket, reading whatever
 * the server answers meanwhile, until it answers or the body is sent. Returns the status line's code
 * and how much had been sent by then. A raw socket, because an HTTP client library gives up on its
 * response once a write fails, and the server is right to close the connection after a 413.
 */
function streamUpload(
  port: number,
  path: string,
  total: number,
  declareLength: boolean,
  authorization: string,
) {
  const boundary = '----limit-test';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0xab);
  chunk.set([0xff, 0xd8, 0xff, 0xe0]);
  const headers = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Authorization: ${authorization}`,
    declareLength ? `Content-Length: ${head.length + total + tail.length}` : 'Transfer-Encoding: chunked',
  ].join('\r\n');
  const frame = (data: Buffer) =>
    declareLength
      ? data
      : Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

  return new Promise<{ status: number; sent: number; body: string }>((resolve) => {
    let sent = 0;
    let response = '';
    let done = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (closed: boolean) => {
      if (done) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      // Closed without an answer: status 0, which fails the test instead of hanging it.
      if (!status && !closed) return;
      done = true;
      socket.destroy();
      resolve({ status, sent, body: response.slice(response.indexOf('\r\n\r\n') + 4) });
    };
    socket.on('data', (d) => {
      response += d.toString('latin1');
      if (/\r\n\r\n[\s\S]*\}/.test(response)) finish(false);
    });
    socket.on('close', () => finish(true));
    // Writes fail once the server has answered and closed: expected, and what the test is about.
    socket.on('error', () => {});
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!socket.write(frame(chunk))) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!done && !socket.destroyed)
        socket.write(
          Buffer.concat([frame(tail), declareLength ? Buffer.alloc(0) : Buffer.from('0\r\n\r\n')]),
        );
    };
    socket.once('connect', () => {
      socket.write(`${headers}\r\n\r\n`);
      socket.write(frame(head));
      pump();
    });
  });
}

describe('image upload limits on a listening server', () => {
  // The default cap: IMAGE_MAX_BYTES is 10 MiB.
  const t = suiteApp();
  let port: number;
  let profile: Profile;
  // Uploads need a token: the profile's owner's or an admin's (who created it here).
  let authorization: string;
  const upload = (total: number, declareLength: boolean) =>
    streamUpload(port, `/api/v1/profiles/${profile.id}/images`, total, declareLength, authorization);

  before(async () => {
    authorization = `Bearer ${await adminToken()}`;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      payload: { name: 'Limits', email: uniqueEmail('limits') },
    });
    profile = res.json() as Profile;
  });

  it('413 while streaming: a 200 MiB body without a length is cut off shortly after 10 MiB', async () => {
    const res = await upload(200 * MiB, false);
    assert.equal(res.status, 413, res.body);
    assert.equal(JSON.parse(res.body).code, 'payload_too_large');
    // Socket buffers on both sides hold a few MiB; the rest of the 200 MiB was never read.
    assert.ok(res.sent < 40 * MiB, `sent ${Math.round(res.sent / MiB)} MiB before the 413`);
  });

  it('413 before any of the body is read when Content-Length already says too much', async () => {
    const res = await upload(50 * MiB, true);
    assert.equal(res.status, 413, res.body);
    assert.ok(res.sent < 20 * MiB, `sent ${Math.round(res.sent / MiB)} MiB before the 413`);
  });

  it('the server keeps serving afterwards, and nothing was stored', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profile.id}` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((res.json() as Profile).image_urls, []);
  });
});

// The allocator the server image preloads (server/Dockerfile).
const jemalloc = tool(
  'jemalloc',
  ['x86_64', 'aarch64'].map((arch) => `/usr/lib/${arch}-linux-gnu/libjemalloc.so.2`),
  'apt-get install libjemalloc2',
);
const skip = anySkip(jemalloc) || (await postgresUnavailable());
describe('a burst of large uploads (a process of its own, as the image runs it)', { skip }, () => {
  // IMAGE_CONCURRENCY defaults to the CPU count: twenty at once is the most any default can mean for
  // twenty uploads. Measured on a 2-core box, the allocator being what moves it: peak ~680 MiB on
  // jemalloc, ~820 MiB on glibc's (~610 and ~525 with two at a time).
  const PEAK_RSS_BOUND = 768 * MiB;
  const testDb = suiteDatabase('img_burst');
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'img-burst-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`20 concurrent 8 MP uploads all succeed with the server's peak RSS under ${PEAK_RSS_BOUND / MiB} MiB`, async () => {
    const auth = await bearer('admin@example.com', { admin: true });
    const server = await spawnServer('server', {
      ...(await testProcessEnv()),
      DB_URI: testDb.uri,
      DATA_DIR: dataDir,
      IMAGE_CONCURRENCY: '20',
      LD_PRELOAD: String(jemalloc.path),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const jpeg = await photoJpeg(3264, 2448, 9); // 8.0 MP, about 3.4 MiB
      const profiles = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const res = await fetch(`${base}/api/v1/profiles`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `Burst ${i}`, email: uniqueEmail('burst') }),
          });
          assert.equal(res.status, 201, await res.clone().text());
          return (await res.json()) as Profile;
        }),
      );
      const form = imageForm(jpeg);
      const results = await Promise.all(
        profiles.map((p) =>
          fetch(`${base}/api/v1/profiles/${p.id}/images`, {
            method: 'POST',
            headers: { ...auth, 'content-type': form.contentType },
            body: form.body,
          }).then(async (r) => ({ status: r.status, body: await r.text() })),
        ),
      );
      for (const r of results) assert.equal(r.status, 201, r.body);
      const status = await readFile(`/proc/${server.proc.pid}/status`, 'utf8');
      const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
      const peak = peakKb * 1024;
      process.stdout.write(
        `# 20 × 8 MP uploads (${(jpeg.length / MiB).toFixed(1)} MiB each): peak RSS ${Math.round(peak / MiB)} MiB\n`,
      );
      assert.ok(peak > 0 && peak < PEAK_RSS_BOUND, `peak RSS ${Math.round(peak / MiB)} MiB`);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exit;
    }
  });
});
