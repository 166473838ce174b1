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
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  email_taken: { status: 409, title: 'Email already taken' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  range_not_satisfiable: { status: 416, title: 'Range not satisfiable' },
  image_undecodable: { status: 422, title: 'Image cannot be decoded' },
  image_too_many_pixels: { status: 422, title: 'Image has too many pixels' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
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
  notFound: (what: string) => new AppError('not_found', `${what} not found`),
  noRoute: (method: string, url: string) =>
    new AppError('not_found', `No route for ${method} ${url.split('?')[0]}`),
  requestTimeout: withDetail('request_timeout'),
  emailTaken: () =>
    new AppError('email_taken', 'A profile with this email already exists', [
      { field: 'email', message: 'already taken' },
    ]),
  conflict: withDetail('conflict'),
  preconditionFailed: withDetail('precondition_failed'),
  payloadTooLarge: withDetail('payload_too_large'),
  unsupportedMediaType: withDetail('unsupported_media_type'),
  rangeNotSatisfiable: () => new AppError('range_not_satisfiable', 'The requested range is not satisfiable'),
  imageUndecodable: withDetail('image_undecodable'),
  imageTooManyPixels: withDetail('image_too_many_pixels'),
  tooManyRequests: withDetail('too_many_requests'),
  internal: () =>
    new AppError('internal', 'An unexpected error occurred; quote the request id when reporting it'),
  unavailable: withDetail('unavailable'),
} as const;

/** The problem type URI of a code (RFC 9457 `type`). */
export const problemType = (code: ErrorCode) => `https://profile-service.example/problems/${code}`;
