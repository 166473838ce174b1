import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/database.js';
import { ERRORS } from '../../errors.js';
import type { Claim, IdempotencyRepository, Seal, StoredResponse } from '../../repository/idempotency.js';
import type { Logger } from '../../telemetry/logger.js';

/** What a route answers: sent now, and under an Idempotency-Key stored with the effect. */
export type Answer<B = unknown> = { status: number; headers: Record<string, string>; body: B };

type Digest = (request: FastifyRequest, reply: FastifyReply) => Promise<string>;

/** One request's hold on its key: the claim, its completion, and whether its answer is stored yet. */
type Held = {
  claim: Claim;
  complete: (tx: Queryable, response: StoredResponse) => Promise<void>;
  sealed: boolean;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request holds an Idempotency-Key claim (it is the first with that key). */
    idempotency: Held | undefined;
  }
  interface FastifyContextConfig {
    /**
     * The route honours Idempotency-Key. `digest` says what of the request besides its method and
     * path makes it "the same request"; by default the parsed body.
     */
    idempotent?: { digest?: Digest };
  }
}

/** Headers that describe the outcome; the rest (request id, rate limits) belong to each answer. */
const KEPT_HEADERS = ['location', 'etag', 'content-type'];

/** Refusals of the caller rather than answers to the request: not stored, so a retry can pass. */
const UNSTORED = new Set([401, 403, 429]);

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** JSON with sorted keys: the same body sent with its fields in another order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const bodyDigest: Digest = async (request) => sha256(canonical(request.body ?? null));

/** The digest of an uploaded file's bytes (a multipart boundary differs on every retry). */
export const bytesDigest =
  (read: (request: FastifyRequest, reply: FastifyReply) => Promise<Buffer>): Digest =>
  async (request, reply) =>
    sha256(await read(request, reply));

/** A route's hooks of one kind as an array, whichever form the route gave them in. */
const hooksOf = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

/** Only the kept headers, as strings. */
function keptHeaders(reply: FastifyReply): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
}

function replay(reply: FastifyReply, stored: StoredResponse): FastifyReply {
  return reply
    .code(stored.status)
    .headers(stored.headers)
    .header('idempotent-replayed', 'true')
    .send(stored.body);
}

/**
 * The seal of a route's answer, for its service to call inside the effect's transaction: the answer
 * is stored with the effect or not at all. Undefined when the request holds no key (no change then).
 */
export function sealOf<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: (result: T) => Answer,
): Seal<T> | undefined {
  const held = request.idempotency;
  if (!held) return undefined;
  return async (tx, result) => {
    const a = answer(result);
    // The route's own serializer, so the replay is byte for byte what the first answer was.
    reply.code(a.status).headers(a.headers);
    const body = String(reply.serialize(a.body));
    const headers = { ...keptHeaders(reply), 'content-type': 'application/json; charset=utf-8' };
    await held.complete(tx, { status: a.status, headers, body });
    held.sealed = true;
  };
}

/** Sends an answer the route built (the same one its seal stored). */
export function send<B>(reply: FastifyReply, a: Answer<B>): B {
  reply.code(a.status).headers(a.headers);
  return a.body;
}

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on the routes that declare it: after
 * the caller is known and the request validated, the key is claimed for the caller; a retry of a
 * request already answered gets that answer again (Idempotent-Replayed: true), a retry while the
 * first still runs a 409 with Retry-After, another request under the key a 422.
 */
export const idempotencyPlugin = fp<{
  repo: Pick<IdempotencyRepository, 'claim' | 'complete' | 'record' | 'release'>;
  logger: Pick<Logger, 'warn'>;
  ttlMs: number;
  leaseMs: number;
  /** Test-only fault: runs once an answer is stored with its effect, before it is sent. */
  afterSeal?: () => void;
}>(
  async (app, { repo, logger, ttlMs, leaseMs, afterSeal }) => {
    app.decorateRequest('idempotency', undefined);

    const claimKey = async (request: FastifyRequest, reply: FastifyReply) => {
      const declared = request.routeOptions.config?.idempotent;
      const key = request.headers['idempotency-key'];
      if (!declared || typeof key !== 'string' || request.principal.kind !== 'user') return;
      const digest = await (declared.digest ?? bodyDigest)(request, reply);
      const hash = sha256(`${request.method} ${request.url.split('?')[0]} ${digest}`);
      const claim = { sub: request.principal.sub, key, token: randomUUID() };
      const outcome = await repo.claim(claim, hash, leaseMs, ttlMs);
      if (outcome.kind === 'owned') {
        const complete = (tx: Queryable, r: StoredResponse) => repo.complete(tx, claim, r);
        request.idempotency = { claim, complete, sealed: false };
        return;
      }
      if (outcome.requestHash !== hash) throw ERRORS.idempotencyKeyReused();
      if (outcome.kind === 'in_progress') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        throw ERRORS.idempotencyKeyInUse('is still being processed');
      }
      return replay(reply, outcome.response);
    };

    const settleKey = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const held = request.idempotency;
      if (!held) return payload;
      request.idempotency = undefined;
      const status = reply.statusCode;
      if (held.sealed && status < 400) {
        afterSeal?.();
        return payload;
      }
      try {
        // A 5xx or a refusal leaves nothing behind: the key is free for the retry.
        if (status >= 500 || UNSTORED.has(status) || typeof payload !== 'string') {
          await repo.release(held.claim);
        } else await repo.record(held.claim, { status, headers: keptHeaders(reply), body: payload });
      } catch (err) {
        // The answer goes out regardless; the claim's lease runs out and a retry takes it over.
        logger.warn({ err }, 'could not settle an idempotency key');
      }
      return payload;
    };

    // Only the routes that declare it run these hooks: every other request skips them entirely.
    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotent) return;
      route.preHandler = [claimKey, ...hooksOf(route.preHandler)];
      route.onSend = [settleKey, ...hooksOf(route.onSend)];
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
