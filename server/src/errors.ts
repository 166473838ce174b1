/**
 * The one error table: every code the API answers with, its HTTP status and its title. Clients branch
 * on codes, so a code is never renamed; services, routes and the error handler raise errors only
 * through the named constructors below.
 */
const TABLE = {
  validation_failed: { status: 400, title: 'Validation failed' },
  invalid_json: { status: 400, title: 'Malformed JSON' },
  bad_request: { status: 400, title: 'Bad request' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_token: { status: 401, title: 'Invalid access token' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  email_taken: { status: 409, title: 'Email already taken' },
  profile_exists: { status: 409, title: 'Profile already exists' },
  conflict: { status: 409, title: 'Conflict' },
  image_limit_reached: { status: 409, title: 'Too many images' },
  idempotency_key_in_use: { status: 409, title: 'Idempotency-Key in use' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  expectation_failed: { status: 417, title: 'Expectation failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  range_not_satisfiable: { status: 416, title: 'Range not satisfiable' },
  image_undecodable: { status: 422, title: 'Image cannot be decoded' },
  image_too_many_pixels: { status: 422, title: 'Image has too many pixels' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused for another request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  auth_unavailable: { status: 503, title: 'Token verification unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof TABLE;

/** Every code, for the Problem schema (so clients get them as a type). */
export const ERROR_CODES = Object.keys(TABLE) as ErrorCode[];

export type FieldError = { field: string; message: string };

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = TABLE[code].status;
    this.title = TABLE[code].title;
  }
}

type Detailed = (detail: string, errors?: FieldError[]) => AppError;
const withDetail =
  (code: ErrorCode): Detailed =>
  (detail, errors) =>
    new AppError(code, detail, errors);

export const ERRORS = {
  validationFailed: withDetail('validation_failed'),
  invalidJson: (detail = 'The body is not valid JSON') => new AppError('invalid_json', detail),
  badRequest: withDetail('bad_request'),
  invalidCursor: () =>
    new AppError('invalid_cursor', 'cursor is malformed; use the Link header of a previous page', [
      { field: 'cursor', message: 'malformed cursor' },
    ]),
  unauthenticated: () =>
    new AppError('unauthenticated', 'This request needs an access token (Authorization: Bearer …)'),
  invalidToken: () =>
    new AppError('invalid_token', 'The access token is invalid, expired or not for this API'),
  forbidden: (detail: string) => new AppError('forbidden', detail),
  notFound: (what: string) => new AppError('not_found', `${what} not found`),
  noRoute: (method: string, url: string) =>
    new AppError('not_found', `No route for ${method} ${url.split('?')[0]}`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new AppError('method_not_allowed', `${method} is not allowed here; allowed: ${allowed.join(', ')}`),
  requestTimeout: withDetail('request_timeout'),
  emailTaken: () =>
    new AppError('email_taken', 'A profile with this email already exists', [
      { field: 'email', message: 'already taken' },
    ]),
  profileExists: () =>
    new AppError('profile_exists', 'This owner already has a profile (GET /api/v1/me)', [
      { field: 'owner', message: 'already has a profile' },
    ]),
  conflict: withDetail('conflict'),
  imageLimitReached: (max: number) =>
    new AppError('image_limit_reached', `A profile has at most ${max} images; delete one first`),
  idempotencyKeyInUse: (why: string) =>
    new AppError('idempotency_key_in_use', `A request with this Idempotency-Key ${why}; retry later`),
  idempotencyKeyReused: () =>
    new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was used for a different request (method, path or body); use a new key',
    ),
  preconditionFailed: withDetail('precondition_failed'),
  payloadTooLarge: withDetail('payload_too_large'),
  unsupportedMediaType: withDetail('unsupported_media_type'),
  rangeNotSatisfiable: () => new AppError('range_not_satisfiable', 'The requested range is not satisfiable'),
  imageUndecodable: withDetail('image_undecodable'),
  imageTooManyPixels: withDetail('image_too_many_pixels'),
  rateLimited: withDetail('rate_limited'),
  internal: () =>
    new AppError('internal', 'An unexpected error occurred; quote the request id when reporting it'),
  unavailable: withDetail('unavailable'),
  authUnavailable: () =>
    new AppError('auth_unavailable', "The identity provider's keys cannot be fetched; retry shortly"),
} as const;

/** RFC 6750: what a 401 tells the client about the bearer scheme. */
export function challengeOf(code: ErrorCode): string | undefined {
  if (code === 'unauthenticated') return 'Bearer realm="profiles"';
  if (code === 'invalid_token') return 'Bearer realm="profiles", error="invalid_token"';
  return undefined;
}

/** The problem type URI of a code (RFC 9457 `type`). */
export const problemType = (code: ErrorCode) => `https://profile-service.example/problems/${code}`;
