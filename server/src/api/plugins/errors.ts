import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUnreachable, sqlState } from '../../db/database.js';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../../errors.js';

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  invalid_json: 'Malformed JSON',
  bad_request: 'Bad request',
  invalid_cursor: 'Invalid cursor',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  email_taken: 'Email already taken',
  conflict: 'Conflict',
  precondition_failed: 'Precondition failed',
  request_timeout: 'Request timeout',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  range_not_satisfiable: 'Range not satisfiable',
  unprocessable: 'Unprocessable content',
  image_undecodable: 'Image cannot be decoded',
  image_too_many_pixels: 'Image has too many pixels',
  too_many_requests: 'Too many requests',
  internal: 'Internal server error',
  unavailable: 'Service unavailable',
};

type AjvIssue = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };

/** Turns schema errors into `{field, message}`, naming unknown and missing fields explicitly. */
export function fieldErrors(issues: AjvIssue[], context: string | undefined): FieldError[] {
  return issues.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (issue.keyword === 'additionalProperties') {
      const field = [path, issue.params.additionalProperty].filter(Boolean).join('.');
      return { field, message: `unknown field "${field}"` };
    }
    if (issue.keyword === 'required') {
      const field = [path, issue.params.missingProperty].filter(Boolean).join('.');
      return { field, message: 'is required' };
    }
    if (issue.keyword === 'minProperties' && path === '') {
      return { field: context ?? 'body', message: 'must contain at least one field' };
    }
    return { field: path || (context ?? 'body'), message: issue.message ?? 'is invalid' };
  });
}

/** Maps Fastify's own 4xx errors (content type, body size, JSON syntax) onto stable codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than the server accepts');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The body is empty but its content type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', 'The body is not valid JSON');
  }
  if (err instanceof SyntaxError || err.message?.includes('forbidden prototype property')) {
    return new AppError('invalid_json', 'The body is not valid JSON');
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      (Object.keys(ERROR_CODES) as ErrorCode[]).find((c) => ERROR_CODES[c] === status) ?? 'bad_request';
    return new AppError(code, err.message);
  }
  return undefined;
}

/**
 * Defence in depth: a value the schema let through but PostgreSQL refuses is the client's error;
 * a database that cannot be reached is a 503 the client may retry, never a 500.
 */
function fromDatabase(err: unknown): AppError | undefined {
  const state = sqlState(err);
  if (isUnreachable(err)) return new AppError('unavailable', 'The database is unavailable; retry shortly');
  // A statement that timed out or a lock not granted (e.g. behind a slow object deletion): transient.
  if (state === '57014' || state === '55P03') {
    return new AppError('unavailable', 'The database is busy; retry shortly');
  }
  if (state?.startsWith('22'))
    return new AppError('validation_failed', 'A value is not acceptable to the database');
  if (state === '23505')
    return new AppError('conflict', 'The resource conflicts with one that already exists');
  return undefined;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  return reply
    .code(err.status)
    .header('x-request-id', request.id)
    .type('application/problem+json')
    .send({
      type: `https://profile-service.example/problems/${err.code}`,
      title: TITLES[err.code],
      status: err.status,
      detail: err.message,
      code: err.code,
      request_id: request.id,
      ...(err.errors ? { errors: err.errors } : {}),
    });
}

/** The one error handler: stable problem+json for clients, full detail only in the logs. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendProblem(reply, request, error);
    if (error.validation) {
      const errors = fieldErrors(error.validation as AjvIssue[], error.validationContext);
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return sendProblem(reply, request, new AppError('validation_failed', detail, errors));
    }
    const mapped = fromFastify(error) ?? fromDatabase(error);
    if (mapped?.status === 503) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '1');
    }
    if (mapped) return sendProblem(reply, request, mapped);
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      request,
      new AppError('internal', 'An unexpected error occurred; quote the request id when reporting it'),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
