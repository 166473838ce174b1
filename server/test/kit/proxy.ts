import net from 'node:net';

/** A TCP proxy to a real service that a test can cut (every connection reset) and restore. */
export function tcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  let port = 0;
  return {
    /** Listens (on the same port as before, after a cut) and resolves to it. */
    async up(): Promise<number> {
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
      port = (server.address() as net.AddressInfo).port;
      return port;
    },
    async down(): Promise<void> {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
