import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isUnreachable, sqlState, UnconfirmedCommitError } from '../../db/database.js';
import { AppError, challengeOf, ERRORS, type ErrorCode, problemType } from '../../errors.js';
import { clip } from '../../lib/clip.js';
import { describe, fieldErrors } from '../../lib/validator.js';
import { createMethodIndex } from '../method-index.js';

/**
 * Fastify's own client errors (and its plugins'), by code: the body parser, the multipart parser.
 * A framework error not named here is never given a specific code (an unknown 409 is no `email_taken`).
 */
const FRAMEWORK_ERRORS: Record<string, (err: FastifyError) => AppError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => ERRORS.unsupportedMediaType('Send the body as application/json'),
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    ERRORS.payloadTooLarge('The request body is larger than the server accepts'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    ERRORS.invalidJson('The body is empty but its content type is application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => ERRORS.invalidJson(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ERRORS.badRequest('The Content-Length does not match the body'),
};

/** A framework error not named above keeps its status under the generic code of that status. */
const GENERIC_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  429: 'rate_limited',
};

function fromFastify(err: FastifyError): AppError | undefined {
  const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
  if (known) return known(err);
  // The JSON parser's own refusals (syntax, a __proto__ key) arrive without a code.
  if (err instanceof SyntaxError || err.message?.includes('forbidden prototype property')) {
    return ERRORS.invalidJson();
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new AppError(GENERIC_BY_STATUS[status] ?? 'bad_request', err.message);
  }
  return undefined;
}

/**
 * Defence in depth: a value the schema let through but PostgreSQL refuses is the client's error;
 * a database that cannot be reached is a 503 the client may retry, never a 500.
 */
function fromDatabase(err: unknown): AppError | undefined {
  const state = sqlState(err);
  if (isUnreachable(err)) return ERRORS.unavailable('The database is unavailable; retry shortly');
  if (err instanceof UnconfirmedCommitError)
    return ERRORS.unavailable(
      'The write is not confirmed by a standby yet; retry it with the same Idempotency-Key',
    );
  // A statement that timed out or a lock not granted (e.g. behind a slow object deletion): transient.
  if (state === '57014' || state === '55P03')
    return ERRORS.unavailable('The database is busy; retry shortly');
  // A write that reached a standby: DB_URI's primary was demoted and its successor is not yet routed to.
  if (state === '25006') return ERRORS.unavailable('The database is failing over; retry shortly');
  if (state?.startsWith('22')) return ERRORS.validationFailed('A value is not acceptable to the database');
  if (state === '23505') return ERRORS.conflict('The resource conflicts with one that already exists');
  return undefined;
}

/** Answers with the problem+json of an AppError (RFC 9457), echoing the request id. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  if (err.status === 503) reply.header('retry-after', '1');
  const challenge = challengeOf(err.code);
  if (challenge) reply.header('www-authenticate', challenge);
  return reply
    .code(err.status)
    .header('x-request-id', request.id)
    .type('application/problem+json')
    .send({
      type: problemType(err.code),
      title: err.title,
      status: err.status,
      detail: clip(err.message, 2000),
      code: err.code,
      request_id: request.id,
      // Field names may come from the request itself (an unknown field): bounded, as documented.
      ...(err.errors
        ? {
            errors: err.errors
              .slice(0, 100)
              .map((e) => ({ field: clip(e.field, 200), message: clip(e.message, 500) })),
          }
        : {}),
    });
}

/** The one error handler: stable problem+json for clients, full detail only in the logs. */
export const errorsPlugin = fp(
  async (app) => {
    // Fed before any route is registered, so every route is in it.
    const methods = createMethodIndex();
    app.addHook('onRoute', (route) => methods.add(route.method, route.url));
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.raw.httpVersion === '1.1' && !request.headers.host) {
        return done(ERRORS.badRequest('An HTTP/1.1 request needs a Host header'));
      }
      done();
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) return sendProblem(reply, request, error);
      if (error.validation) {
        const errors = fieldErrors(error.validation, { whole: error.validationContext ?? 'body' });
        return sendProblem(reply, request, ERRORS.validationFailed(describe(errors), errors));
      }
      const mapped = fromFastify(error) ?? fromDatabase(error);
      if (mapped?.status === 503) request.log.warn({ err: error }, 'database unavailable');
      if (mapped) return sendProblem(reply, request, mapped);
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, request, ERRORS.internal());
    });
    app.setNotFoundHandler((request, reply) => {
      const allowed = methods.allowed(request.url);
      // A route that answers this method and found nothing (a file not on disk) is a plain 404.
      if (allowed.length === 0 || allowed.includes(request.method)) {
        return sendProblem(reply, request, ERRORS.noRoute(request.method, request.url));
      }
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, request, ERRORS.methodNotAllowed(request.method, allowed));
    });
  },
  { name: 'errors' },
);
