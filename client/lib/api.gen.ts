// Generated from the API's OpenAPI document by `npm run gen:api -w client` (scripts/gen-api.ts).
// Do not edit: `npm test` fails when this file is not what the API generates.

export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness
     * @description Answers while the process runs, whatever its dependencies do.
     */
    get: operations['getLiveness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness with per-dependency status
     * @description 200 when the database (and, where used, the broker and storage) answer; 503 otherwise or while draining.
     */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics
     * @description With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` gets them.
     */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List profiles, newest first
     * @description A bare JSON array; `Link: <…>; rel="next"` when there is another page. Emails appear only to their owner and admins; `q` matches emails only for admins.
     */
    get: operations['listProfiles'];
    put?: never;
    /**
     * Create a profile
     * @description An ordinary user creates their own, one at most (409 profile_exists); an admin creates any number and may name the owner.
     */
    post: operations['createProfile'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a profile
     * @description Its email only to its owner and admins, who get an ETag of their own representation.
     */
    get: operations['getProfile'];
    /**
     * Update a profile (any non-empty subset of name, email, bio): its owner or an admin
     * @description With If-Match, only if the profile is still at a version it names (412 otherwise). Same as PATCH.
     */
    put: operations['replaceProfileFields'];
    post?: never;
    /**
     * Delete a profile (its images too): its owner or an admin
     * @description With If-Match, only if the profile is still at a version it names (412 otherwise).
     */
    delete: operations['deleteProfile'];
    options?: never;
    head?: never;
    /**
     * Update a profile (any non-empty subset of name, email, bio): its owner or an admin
     * @description With If-Match, only if the profile is still at a version it names (412 otherwise). Also takes application/merge-patch+json.
     */
    patch: operations['updateProfile'];
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller’s own profile
     * @description With its email; 404 until the caller has created one.
     */
    get: operations['getMyProfile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles/{id}/images': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A profile's images, newest first
     * @description At most 20, in the order of the profile's image_urls.
     */
    get: operations['listImages'];
    put?: never;
    /**
     * Upload an image (multipart/form-data, part "image"): the profile’s owner or an admin
     * @description JPEG, PNG, WebP, GIF or AVIF, judged by content. 201 with the new image; 200 with the existing one when the profile already has this picture.
     */
    post: operations['uploadImage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles/{id}/images/{image_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete an image (its objects are removed by a background task): the owner or an admin
     * @description The profile gets a new version without the image’s URL.
     */
    delete: operations['deleteImage'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/delayed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit a task to run now or after a delay
     * @description profile.export and profile.purge: for a profile you own (any, for an admin); the other types: admins only.
     */
    post: operations['submitTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your tasks (everyone’s, for an admin), newest first
     * @description A bare JSON array; `Link: <…>; rel="next"` when there is another page.
     */
    get: operations['listTasks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a task (its submitter or an admin)
     * @description Another caller’s task is a 404, as one that does not exist.
     */
    get: operations['getTask'];
    put?: never;
    post?: never;
    /**
     * Cancel a task that has not started (its submitter or an admin)
     * @description A task already running or finished is a 409; the cancelled task is returned.
     */
    delete: operations['cancelTask'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/exports/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a profile export made by a profile.export task (its submitter or an admin)
     * @description Exports hold personal data: they expire after EXPORT_TTL.
     */
    get: operations['getExport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live changes: profiles for everyone, your tasks (all, for an admin), as Server-Sent Events
     * @description Events `profile.created|updated|deleted` and `task.<status>`, each with an `id`; reconnect with `Last-Event-ID` to receive what was missed. `reset`: the gap is too old, reload; `reauth`: the token expired, reconnect with a fresh one.
     */
    get: operations['streamEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/media/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An image object (an original or a variant), by its content-addressed key
     * @description What image URLs point to when no CDN_BASE_URL is set, and the origin a CDN pulls from: immutable for a year, with ETag, Last-Modified, Range and If-None-Match.
     */
    get: operations['getMediaObject'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description RFC 9457 problem details (application/problem+json) */
    Problem: {
      type: string;
      title: string;
      status: number;
      detail: string;
      /**
       * @description Stable machine-readable error code
       * @enum {unknown}
       */
      code:
        | 'validation_failed'
        | 'invalid_json'
        | 'bad_request'
        | 'invalid_cursor'
        | 'unauthenticated'
        | 'invalid_token'
        | 'forbidden'
        | 'not_found'
        | 'method_not_allowed'
        | 'request_timeout'
        | 'email_taken'
        | 'profile_exists'
        | 'conflict'
        | 'image_limit_reached'
        | 'idempotency_key_in_use'
        | 'precondition_failed'
        | 'expectation_failed'
        | 'payload_too_large'
        | 'unsupported_media_type'
        | 'range_not_satisfiable'
        | 'image_undecodable'
        | 'image_too_many_pixels'
        | 'idempotency_key_reused'
        | 'rate_limited'
        | 'headers_too_large'
        | 'internal'
        | 'unavailable'
        | 'auth_unavailable';
      request_id: string;
      errors?: {
        field: string;
        message: string;
      }[];
    };
    /** @description A user profile */
    Profile: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description Shown only to the profile’s owner and to admins; absent for everyone else */
      email?: string;
      bio: string;
      /** @description Newest first; read-only */
      image_urls: string[];
      version: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
    };
    /** @description A profile image and its variants, served immutable under content-addressed URLs */
    Image: {
      /** Format: uuid */
      id: string;
      /** @description The cleaned original (as in the profile’s image_urls) */
      url: string;
      variants: {
        /** @description Auto-oriented, metadata stripped, in the uploaded format */
        original: string;
        /** @description WebP, 512 pixels wide (never enlarged) */
        medium: string;
        /** @description WebP, 128×128, cropped to cover */
        thumbnail: string;
      };
      content_type: string;
      width: number;
      height: number;
      /** @description Size of the cleaned original */
      bytes: number;
      /** Format: date-time */
      created_at: string;
    };
    /** @description A delayed task */
    Task: {
      /** Format: uuid */
      id: string;
      type: string;
      status: 'scheduled' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      payload: unknown;
      result: unknown;
      error: string | null;
      attempts: number;
      max_attempts: number;
      /** Format: date-time */
      run_at: string;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      /** Format: date-time */
      started_at: string | null;
      /** Format: date-time */
      finished_at: string | null;
    };
    /** @description Readiness with each dependency’s status; 503 unless ready */
    Readiness: {
      status: 'ready' | 'draining' | 'unavailable';
      checks: {
        database: {
          status: 'up' | 'down' | 'degraded';
          /** @description Which part: postgres, pglite, redis, memory, fs, s3 */
          mode?: string;
          latency_ms?: number;
          /** @description The cache breaker: closed, open, half-open */
          breaker?: string;
          error?: string;
        };
        cache: {
          status: 'up' | 'down' | 'degraded';
          /** @description Which part: postgres, pglite, redis, memory, fs, s3 */
          mode?: string;
          latency_ms?: number;
          /** @description The cache breaker: closed, open, half-open */
          breaker?: string;
          error?: string;
        };
        queue?: {
          status: 'up' | 'down' | 'degraded';
          /** @description Which part: postgres, pglite, redis, memory, fs, s3 */
          mode?: string;
          latency_ms?: number;
          /** @description The cache breaker: closed, open, half-open */
          breaker?: string;
          error?: string;
        };
        storage?: {
          status: 'up' | 'down' | 'degraded';
          /** @description Which part: postgres, pglite, redis, memory, fs, s3 */
          mode?: string;
          latency_ms?: number;
          /** @description The cache breaker: closed, open, half-open */
          breaker?: string;
          error?: string;
        };
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description The request id, also in the body of an error (`request_id`) and in the logs */
    RequestId: string;
    /** @description Seconds to wait before retrying */
    RetryAfter: number;
    /** @description What is left of the budget: `"<policy>";r=<remaining>;t=<seconds to reset>` */
    RateLimit: string;
    /** @description The budget: `"<policy>";q=<requests>;w=<window seconds>` */
    RateLimitPolicy: string;
    /** @description The bearer challenge (RFC 6750) */
    WWWAuthenticate: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getLiveness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Readiness with each dependency’s status; 503 unless ready */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
      /** @description Readiness with each dependency’s status; 503 unless ready */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Prometheus text exposition format */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listProfiles: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque; from the Link rel="next" header */
        cursor?: string;
        /** @description Case-insensitive substring of the name (and, for an admin, of the email); it must have at least 3 letters or digits in a row */
        q?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description `<path of the next page>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'][];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createProfile: {
    parameters: {
      query?: never;
      header?: {
        /** @description A key of your choosing (a UUID, say), 1–255 visible ASCII characters, new for each action and reused when retrying it: the first answer is replayed (Idempotent-Replayed: true); another request under the key is a 422, one while the first is still running a 409 with Retry-After. */
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Trimmed; 1–100 characters */
          name: string;
          /**
           * Format: email
           * @description Unique, case-insensitively
           */
          email: string;
          bio?: string;
          /** @description The subject that will own it. An ordinary user always owns what they create (omit it, or name yourself); an admin may name anyone, or null for a profile only admins change (the default for an admin) */
          owner?: string | null;
        };
      };
    };
    responses: {
      /** @description A user profile */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The path of what was created */
          Location?: string;
          /** @description Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match */
          ETag?: string;
          /** @description "true" on an answer replayed for a retried Idempotency-Key (absent otherwise) */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getProfile: {
    parameters: {
      query?: never;
      header?: {
        /** @description ETags already held: 304 if one is current */
        'if-none-match'?: string;
      };
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A user profile */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'];
        };
      };
      /** @description Not modified (If-None-Match named its ETag) */
      304: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  replaceProfileFields: {
    parameters: {
      query?: never;
      header?: {
        /** @description "*" or ETags of this profile, e.g. "7p"; a list matches if any does */
        'if-match'?: string;
      };
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    /** @description Any non-empty subset of name, email, bio */
    requestBody: {
      content: {
        'application/json': {
          /** @description Trimmed; 1–100 characters */
          name?: string;
          /**
           * Format: email
           * @description Unique, case-insensitively
           */
          email?: string;
          bio?: string;
        };
      };
    };
    responses: {
      /** @description A user profile */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      412: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteProfile: {
    parameters: {
      query?: never;
      header?: {
        /** @description "*" or ETags of this profile, e.g. "7p"; a list matches if any does */
        'if-match'?: string;
      };
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      412: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateProfile: {
    parameters: {
      query?: never;
      header?: {
        /** @description "*" or ETags of this profile, e.g. "7p"; a list matches if any does */
        'if-match'?: string;
      };
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    /** @description Any non-empty subset of name, email, bio */
    requestBody: {
      content: {
        'application/json': {
          /** @description Trimmed; 1–100 characters */
          name?: string;
          /**
           * Format: email
           * @description Unique, case-insensitively
           */
          email?: string;
          bio?: string;
        };
        'application/merge-patch+json': {
          /** @description Trimmed; 1–100 characters */
          name?: string;
          /**
           * Format: email
           * @description Unique, case-insensitively
           */
          email?: string;
          bio?: string;
        };
      };
    };
    responses: {
      /** @description A user profile */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      412: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMyProfile: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A user profile */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Strong tag of this representation ("7", or "7p" with the email); for If-Match and If-None-Match */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Profile'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listImages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Image'][];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  uploadImage: {
    parameters: {
      query?: never;
      header?: {
        /** @description A key of your choosing (a UUID, say), 1–255 visible ASCII characters, new for each action and reused when retrying it: the first answer is replayed (Idempotent-Replayed: true); another request under the key is a 422, one while the first is still running a 409 with Retry-After. */
        'idempotency-key'?: string;
      };
      path: {
        /** @description Profile id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The picture: JPEG, PNG, WebP, GIF or AVIF, at most IMAGE_MAX_BYTES
           */
          image: string;
        };
      };
    };
    responses: {
      /** @description A profile image and its variants, served immutable under content-addressed URLs */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The path of what was created */
          Location?: string;
          /** @description "true" on an answer replayed for a retried Idempotency-Key (absent otherwise) */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Image'];
        };
      };
      /** @description A profile image and its variants, served immutable under content-addressed URLs */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The path of what was created */
          Location?: string;
          /** @description "true" on an answer replayed for a retried Idempotency-Key (absent otherwise) */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Image'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      408: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteImage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Profile id (UUID) */
        id: string;
        /** @description Image id (UUID) */
        image_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  submitTask: {
    parameters: {
      query?: never;
      header?: {
        /** @description A key of your choosing (a UUID, say), 1–255 visible ASCII characters, new for each action and reused when retrying it: the first answer is replayed (Idempotent-Replayed: true); another request under the key is a 422, one while the first is still running a 409 with Retry-After. */
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    /** @description An empty body is a sleep of 10 seconds */
    requestBody?: {
      content: {
        'application/json': {
          /**
           * @description The task type (default: sleep)
           * @enum {unknown}
           */
          type?: 'sleep' | 'echo' | 'profile.export' | 'profile.purge' | 'cache.warm';
          /** @description Validated by the type's schema */
          payload?: {
            [key: string]: unknown;
          };
          /** @description Seconds (a number, or a string without a unit) or a duration such as 30s, 5m; at most 7 days */
          delay?: number | string;
        };
      };
    };
    responses: {
      /** @description A delayed task */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The path of what was created */
          Location?: string;
          /** @description "true" on an answer replayed for a retried Idempotency-Key (absent otherwise) */
          'Idempotent-Replayed'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Task'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listTasks: {
    parameters: {
      query?: {
        limit?: number;
        /** @description Opaque; from the Link rel="next" header */
        cursor?: string;
        status?: 'scheduled' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
        type?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description `<path of the next page>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Task'][];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Task id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A delayed task */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Task'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  cancelTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Task id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A delayed task */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Task'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getExport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Task id (UUID) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The export (JSON) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  streamEvents: {
    parameters: {
      query?: {
        /** @description For clients that cannot send Last-Event-ID */
        last_event_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stream: `id`, `event` and a JSON `data` line per event, comments as heartbeats */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'WWW-Authenticate': components['headers']['WWWAuthenticate'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description RFC 9457 problem details (application/problem+json) */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMediaObject: {
    parameters: {
      query?: never;
      header?: {
        range?: string;
        'if-none-match'?: string;
      };
      path: {
        /** @description The object key: two hex digits, a slash, the SHA-256 of the bytes and the extension */
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The object */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'image/*': string;
        };
      };
      /** @description The requested range */
      206: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'image/*': string;
        };
      };
      /** @description Not modified */
      304: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such object */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Range not satisfiable */
      416: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Object storage is unavailable */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
