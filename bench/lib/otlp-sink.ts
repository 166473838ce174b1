// Where the traced services send their spans during the bench: an OTLP/HTTP receiver that answers as a
// collector does (an empty export response) and counts what it got, so that tracing's measured cost
// includes building and exporting the spans, not only recording them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpSink = {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter adds /v1/traces). */
  endpoint: string;
  received: () => { exports: number; bytes: number };
  close: () => Promise<void>;
};

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') exports += 1;
      // An empty ExportTraceServiceResponse is an empty protobuf message, or {} in JSON.
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received: () => ({ exports, bytes }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
