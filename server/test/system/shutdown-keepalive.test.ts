// Shutdown must not lose a request sent on an open keep-alive connection. Twenty clients send GETs
// back to back, each over one keep-alive connection of its own, while the server gets SIGTERM (default
// settings, nothing in front of it). A client may be refused a new connection once the listener is
// closed; it must never see its connection reset or closed under a request it already sent.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testProcessEnv } from '../kit/identity.js';
import { spawnServer } from '../kit/process.js';
import { postgresUnavailable, suiteDatabase } from '../kit/services.js';

const skip = await postgresUnavailable();

type Tally = { ok: number; refused: number; lost: string[] };

function get(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** One client: requests back to back on its own keep-alive connection until it is refused one. */
async function client(port: number, path: string, tally: Tally, stopAt: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (Date.now() < stopAt) {
      try {
        const status = await get(agent, port, path);
        if (status !== 200) tally.lost.push(`status ${status}`);
        else tally.ok++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') {
          tally.refused++;
          return;
        }
        tally.lost.push(`${code ?? ''} ${(err as Error).message}`);
      }
    }
  } finally {
    agent.destroy();
  }
}

describe('shutdown with keep-alive clients', { skip }, () => {
  const db = suiteDatabase('keepalive');

  for (const round of [1, 2, 3]) {
    it(`loses no request sent on an open connection (round ${round})`, async () => {
      const server = await spawnServer('server', { ...(await testProcessEnv()), DB_URI: db.uri });
      try {
        const tally: Tally = { ok: 0, refused: 0, lost: [] };
        const clients = Array.from({ length: 20 }, () =>
          client(server.port, '/health', tally, Date.now() + 20_000),
        );
        await sleep(1_500);
        const before = tally.ok;
        server.proc.kill('SIGTERM');
        await Promise.all(clients);
        const { code } = await server.exit;
        assert.equal(code, 0, server.output());
        assert.ok(before > 100, `the clients were busy before the signal (${before} answers)`);
        assert.deepEqual(tally.lost, [], `${tally.ok} answered, ${tally.refused} refused a new connection`);
        assert.equal(tally.refused, 20, 'every client ends refused a new connection, not cut off');
      } finally {
        server.proc.kill('SIGKILL');
      }
    });
  }
});
