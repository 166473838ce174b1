// What the generated OpenAPI document cannot say from route schemas alone, added to the whole of it:
// every error is application/problem+json (the one error handler sends nothing else), every
// response carries X-Request-Id, the headers of refusals (WWW-Authenticate, Retry-After, RateLimit),
// the Retry-After of a 409 for an Idempotency-Key in use, request bodies a route reads itself (the image upload's multipart form) or takes optionally (a
// task submission), and /media, which the static file plugin serves without a route schema.

type Json = Record<string, unknown>;
type Operation = Json & {
  requestBody?: Json;
  responses?: Record<string, Json>;
  parameters?: { name?: string; in?: string }[];
};

const PROBLEM_REF = '#/components/schemas/Problem';
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

const HEADERS = {
  RequestId: {
    description: 'The request id, also in the body of an error (`request_id`) and in the logs',
    schema: { type: 'string', maxLength: 100 },
  },
  RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  RateLimit: {
    description: 'What is left of the budget: `"<policy>";r=<remaining>;t=<seconds to reset>`',
    schema: { type: 'string', maxLength: 100 },
  },
  RateLimitPolicy: {
    description: 'The budget: `"<policy>";q=<requests>;w=<window seconds>`',
    schema: { type: 'string', maxLength: 100 },
  },
  WWWAuthenticate: {
    description: 'The bearer challenge (RFC 6750)',
    schema: { type: 'string', maxLength: 200 },
  },
};

/** Headers of a response by its status, beyond those the route declares. */
function headersFor(status: string): Record<string, Json> {
  const extra: Record<string, Json> = { 'X-Request-Id': header('RequestId') };
  if (status === '401') extra['WWW-Authenticate'] = header('WWWAuthenticate');
  if (status === '429') {
    extra['Retry-After'] = header('RetryAfter');
    extra.RateLimit = header('RateLimit');
    extra['RateLimit-Policy'] = header('RateLimitPolicy');
  }
  if (status === '503') extra['Retry-After'] = header('RetryAfter');
  return extra;
}

function fixResponse(status: string, response: Json): void {
  response.headers = { ...headersFor(status), ...(response.headers as Json | undefined) };
  const content = response.content as Record<string, { schema?: { $ref?: string } }> | undefined;
  const json = content?.['application/json'];
  if (content && json?.schema?.$ref === PROBLEM_REF) {
    delete content['application/json'];
    content['application/problem+json'] = json;
  }
}

function fixOperation(op: Operation): void {
  const body = op['x-request-body'];
  if (body) op.requestBody = body as Json;
  if (op['x-body-optional'] && op.requestBody) op.requestBody.required = false;
  delete op['x-request-body'];
  delete op['x-body-optional'];
  for (const [status, response] of Object.entries(op.responses ?? {})) fixResponse(status, response);
  // A retry while the first request with its Idempotency-Key still runs: 409, told when to come back.
  const conflict = op.responses?.['409'];
  if (conflict && op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')) {
    conflict.headers = { ...(conflict.headers as Json), 'Retry-After': header('RetryAfter') };
  }
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: PROBLEM_REF } } },
});

/** GET /media/{key}: image objects, immutable, with ranges and conditional requests. */
const MEDIA_PATH = {
  get: {
    tags: ['images'],
    operationId: 'getMediaObject',
    summary: 'An image object (an original or a variant), by its content-addressed key',
    description:
      'What image URLs point to when no CDN_BASE_URL is set, and the origin a CDN pulls from: ' +
      'immutable for a year, with ETag, Last-Modified, Range and If-None-Match.',
    parameters: [
      {
        name: 'key',
        in: 'path',
        required: true,
        description: 'The object key: two hex digits, a slash, the SHA-256 of the bytes and the extension',
        schema: { type: 'string', maxLength: 100, pattern: '^[0-9a-f]{2}/[0-9a-f]{64}\\.[a-z0-9]{3,4}$' },
      },
      { name: 'range', in: 'header', required: false, schema: { type: 'string', maxLength: 100 } },
      { name: 'if-none-match', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
    ],
    responses: {
      200: {
        description: 'The object',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      },
      206: {
        description: 'The requested range',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      },
      304: { description: 'Not modified' },
      404: problemResponse('No such object'),
      416: problemResponse('Range not satisfiable'),
      503: problemResponse('Object storage is unavailable'),
    },
  },
};

/** The generated document, completed (it is changed in place and returned). */
export function completeDocument<T extends Json>(doc: T): T {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  paths['/media/{key}'] = MEDIA_PATH as unknown as Record<string, Operation>;
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) fixOperation(op);
  }
  const components = (doc.components ?? {}) as Json;
  components.headers = { ...(components.headers as Json | undefined), ...HEADERS };
  return Object.assign(doc, { paths, components });
}
