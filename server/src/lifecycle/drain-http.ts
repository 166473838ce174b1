import type { Server } from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Stops taking connections without cutting off a request already sent on an open one. Closing an
 * idle keep-alive connection at once (what http.Server.close does) races with the client's next
 * request, which may already be on the wire: the client sees its connection reset under it. So the
 * listener alone is closed first; `onListenerClosed` then has every response say Connection: close,
 * so each connection that carries one more request closes itself after answering it. Only
 * connections that stayed idle for all of `lingerMs` are closed after that (by the caller's close),
 * which is the race every keep-alive timeout already has, and which clients expect.
 */
export async function drainConnections(
  server: Server,
  lingerMs: number,
  onListenerClosed: () => void = () => {},
): Promise<void> {
  if (!server.listening) return onListenerClosed();
  await acceptQueued(server, lingerMs);
  // net.Server's close: stops accepting, and (unlike http.Server's) leaves open connections alone.
  net.Server.prototype.close.call(server);
  onListenerClosed();
  const deadline = Date.now() + lingerMs;
  while (Date.now() < deadline && (await openConnections(server)) > 0) await sleep(25);
}

const openConnections = (server: Server) =>
  new Promise<number>((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));

/**
 * Lets the event loop accept the connections the kernel has already queued: closing the listener
 * resets them, requests and all, and a shutdown signal handled in the same turn as their arrival
 * would close it before they were taken. This turns the loop until two turns bring none; a loaded
 * process may take a while over a long queue, so it is bounded by the linger, not less (and only a
 * stream of new connections that never stops would take all of it).
 */
async function acceptQueued(server: Server, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  let accepted = 0;
  const count = () => {
    accepted += 1;
  };
  server.on('connection', count);
  try {
    // Two quiet turns in a row: one accepted connection may defer the next accept to the following
    // turn, after this turn's immediates (a signal handled in the poll phase sees that first).
    for (let quiet = 0, seen = 0; quiet < 2 && Date.now() < until; ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      quiet = accepted === seen ? quiet + 1 : 0;
      seen = accepted;
    }
  } finally {
    server.off('connection', count);
  }
}
