// An image upload's multipart body, read as it streams: refused before any of it is read when it
// cannot be an upload, cut off the moment the file passes the size cap, given up when it stalls.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS } from '../../errors.js';

// Multipart framing around the file: boundaries, part headers, a few small fields.
const MULTIPART_OVERHEAD = 64 * 1024;

const mib = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MiB`;

// After a 413 the client may still be sending. Closing at once would make the kernel answer its next
// bytes with a reset, which can destroy our 413 unread in its receive buffer; so the rest of the body
// is read and thrown away for a moment (a "lingering close", as nginx does), then the socket closes.
const LINGER_MS = 2_000;
/** Longest pause between two pieces of an upload before it is given up. */
const UPLOAD_IDLE_MS = 30_000;
const LINGER_BYTES = 16 * 1_048_576;

function lingerThenClose(reply: FastifyReply) {
  const req = reply.request.raw;
  reply.raw.once('finish', () => {
    if (req.complete || req.readableEnded) return;
    // Destroying the request destroys its connection.
    const close = () => req.destroy();
    const timer = setTimeout(close, LINGER_MS);
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > LINGER_BYTES) close();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  });
}

function tooLarge(reply: FastifyReply, maxBytes: number) {
  lingerThenClose(reply);
  return ERRORS.payloadTooLarge(`The image is larger than the ${mib(maxBytes)} accepted`, [
    { field: 'image', message: `larger than ${maxBytes} bytes` },
  ]);
}

/**
 * Refuses what cannot be an upload before any of the body is read: another content type (415), or a
 * declared length beyond the cap (413).
 */
export const uploadGate = (maxBytes: number) => async (request: FastifyRequest, reply: FastifyReply) => {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw ERRORS.unsupportedMediaType('Send the image as multipart/form-data, in a part named "image"');
  }
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(reply, maxBytes);
};

/**
 * Collects a file stream, failing the moment it passes the size limit (the stream itself would only
 * end with its part, after the whole oversized body had been read and thrown away), or when nothing
 * arrives for UPLOAD_IDLE_MS (a stalled client must not hold its buffered bytes for ever).
 */
function readCapped(file: Readable, tooBig: () => Error, stalled: () => Error): Promise<Buffer> {
  const endedEarly = () => ERRORS.badRequest('The multipart body ended inside the image part');
  return new Promise((resolve, reject) => {
    // The part may have failed before we got to it (the body ended inside it).
    if (file.errored || file.destroyed) {
      reject(file.errored ?? endedEarly());
      return;
    }
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const settle = (err?: Error) => {
      clearTimeout(idle);
      if (!err) return resolve(Buffer.concat(chunks));
      chunks.length = 0;
      file.destroy();
      reject(err);
    };
    const watch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => settle(stalled()), UPLOAD_IDLE_MS);
    };
    watch();
    file.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      watch();
    });
    file.once('limit', () => settle(tooBig()));
    file.once('error', (err) => settle(err));
    file.once('end', () => settle());
    // Destroyed without an error (the request ended mid-part): settle rather than wait for ever.
    file.once('close', () => settle(endedEarly()));
  });
}

const exactlyOneImage = (detail: string) =>
  ERRORS.validationFailed(detail, [{ field: 'image', message: 'exactly one file is required' }]);

/**
 * Reads the form: exactly one file, in the part named `image`, and at most a few small text fields.
 * Reading stops as soon as the file passes maxBytes, so an oversized body is never buffered.
 */
export async function readImagePart(
  request: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Promise<Buffer> {
  let image: Buffer | undefined;
  try {
    const parts = request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11 },
    });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'image') {
        part.file.resume();
        throw exactlyOneImage(`Send the file in a part named "image", not "${part.fieldname}"`);
      }
      image = await readCapped(
        part.file,
        () => tooLarge(reply, maxBytes),
        () => {
          reply.header('connection', 'close');
          return ERRORS.requestTimeout(`No part of the image arrived for ${UPLOAD_IDLE_MS / 1000} s`);
        },
      );
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(reply, maxBytes);
    if (code === 'FST_FILES_LIMIT') throw exactlyOneImage('Send one file only, in the part named "image"');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw ERRORS.validationFailed('The form has more parts than an upload needs');
    }
    // Anything else while parsing the form is the client's malformed body, not a server fault.
    throw ERRORS.badRequest(`The multipart body is malformed: ${(err as Error).message}`);
  }
  if (image === undefined) throw exactlyOneImage('The form has no file part named "image"');
  if (image.length === 0) {
    throw ERRORS.validationFailed('The image part is empty', [{ field: 'image', message: 'is empty' }]);
  }
  return image;
}

/**
 * readImagePart, once per request: the Idempotency-Key hook reads the file to know the request
 * before the handler asks for it again.
 */
export function imageReader(maxBytes: number) {
  const read = new WeakMap<FastifyRequest, Promise<Buffer>>();
  return (request: FastifyRequest, reply: FastifyReply): Promise<Buffer> => {
    let bytes = read.get(request);
    if (!bytes) {
      bytes = readImagePart(request, reply, maxBytes);
      read.set(request, bytes);
    }
    return bytes;
  };
}
