// Answers for requests refused before they reach Fastify's routing — the HTTP parser's refusals
// (control characters, bare LF, obs-fold, Content-Length with Transfer-Encoding, two lengths,
// headers too large), an Expect other than 100-continue — in the same shape as every other error:
// problem+json with a request id.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, ERRORS, type ErrorCode, problemType } from '../errors.js';

function problemBody(err: AppError, requestId: string): string {
  return JSON.stringify({
    type: problemType(err.code),
    title: err.title,
    status: err.status,
    detail: err.message,
    code: err.code,
    request_id: requestId,
  });
}

const parserError = (code: string | undefined): AppError =>
  code === 'HPE_HEADER_OVERFLOW'
    ? new AppError(
        'headers_too_large' satisfies ErrorCode,
        'The request headers are larger than the server accepts',
      )
    : ERRORS.badRequest('The request is not valid HTTP (its framing or headers are malformed)');

/** Fastify's clientErrorHandler: the parser gave up, so the answer is written to the socket. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const err = parserError(error.code);
  const id = randomUUID();
  const body = problemBody(err, id);
  socket.end(
    `HTTP/1.1 ${err.status} ${err.title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nX-Request-Id: ${id}\r\n\r\n${body}`,
  );
}

function respond(res: ServerResponse, err: AppError): void {
  const id = randomUUID();
  const body = problemBody(err, id);
  res.writeHead(err.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': id,
    connection: 'close',
  });
  res.end(body);
}

/** An Expect other than 100-continue: Node would answer an empty 417. */
export function answerExpectations(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    respond(
      res,
      new AppError('expectation_failed', `Expect: ${String(req.headers.expect)} is not supported`),
    );
  });
}
