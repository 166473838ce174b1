// Connections the kernel has already queued when the listener closes are reset by it, requests and
// all. A shutdown signal handled in the same turn as their arrival used to close the listener before
// they were accepted; here the test blocks its own event loop while another process connects and
// sends its requests (the kernel completes the handshakes into the backlog), then drains from a
// signal handler, as the server does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { drainConnections } from '../../src/lifecycle/drain-http.js';

const CONNECTIONS = 30;

// Sends one GET on each of CONNECTIONS connections, says so in a file, then prints what came back.
const CLIENT = `
const net = require('node:net');
const fs = require('node:fs');
const [port, n, flag] = process.argv.slice(1);
const results = [];
let connected = 0;
for (let i = 0; i < Number(n); i++) {
  const s = net.connect(Number(port), '127.0.0.1', () => {
    s.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');
    if (++connected === Number(n)) setTimeout(() => fs.writeFileSync(flag, 'sent'), 50);
  });
  let data = '';
  let error = '';
  s.on('data', (d) => { data += d; });
  s.on('error', (e) => { error = e.code; });
  s.on('close', () => results.push(data ? data.split('\\r\\n')[0] : error || 'closed without an answer'));
}
process.on('exit', () => fs.writeSync(1, JSON.stringify(results)));
`;

/** Blocks this thread (and its event loop) until `file` exists, or `ms` pass. */
function blockUntil(file: string, ms: number) {
  const until = Date.now() + ms;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(file) && Date.now() < until) Atomics.wait(cell, 0, 0, 10);
}

describe('draining the HTTP server', () => {
  it('accepts and answers the connections already queued when it starts, before closing the listener', async () => {
    // As the app answers while draining: each connection closes after its answer.
    const server = http.createServer((_req, res) => res.setHeader('connection', 'close').end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'drain-'));
    const flag = join(dir, 'sent');
    try {
      const client = spawn(process.execPath, ['-e', CLIENT, String(port), String(CONNECTIONS), flag]);
      let out = '';
      client.stdout.on('data', (d) => {
        out += d;
      });
      const exited = new Promise((resolve) => client.once('exit', resolve));
      // The client connects and sends while nothing here runs: all of it waits in the backlog.
      blockUntil(flag, 10_000);
      assert.ok(existsSync(flag), 'the client sent its requests');
      // From a signal handler, as the shutdown runs: in the poll phase of the turn that reads it.
      let drained: Promise<void> | undefined;
      process.once('SIGWINCH', () => {
        drained = drainConnections(server, 2_000);
      });
      process.kill(process.pid, 'SIGWINCH');
      while (!drained) await new Promise((resolve) => setImmediate(resolve));
      await drained;
      await new Promise((resolve) => server.close(resolve));
      await exited;
      const results = JSON.parse(out || '[]') as string[];
      assert.equal(results.length, CONNECTIONS, out);
      assert.deepEqual(
        results.filter((r) => r !== 'HTTP/1.1 200 OK'),
        [],
        'no request already sent is reset',
      );
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
