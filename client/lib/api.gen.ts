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
    /** Liveness */
    get: {
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
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
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
    /** Readiness with per-dependency status */
    get: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
        /** @description Readiness with each dependency’s status; 503 unless ready */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Readiness'];
          };
        };
      };
    };
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
    get: {
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
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
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
    get: {
      parameters: {
        query?: {
          limit?: number;
          /** @description Opaque; from the Link rel="next" header */
          cursor?: string;
          /** @description Case-insensitive match on name or email */
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'][];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Create a profile
     * @description An ordinary user creates their own, one at most (409 profile_exists); an admin creates any number and may name the owner.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    get: {
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
        /** @description A user profile */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description Not modified */
        304: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Update a profile (any non-empty subset of name, email, bio): its owner or an admin */
    put: {
      parameters: {
        query?: never;
        header?: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    /** Delete a profile (its images too): its owner or an admin */
    delete: {
      parameters: {
        query?: never;
        header?: {
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
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Update a profile (any non-empty subset of name, email, bio): its owner or an admin */
    patch: {
      parameters: {
        query?: never;
        header?: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s own profile */
    get: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Profile'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    /** A profile's images, newest first */
    get: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Image'][];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Upload an image (multipart/form-data, part "image"): the profile’s owner or an admin
     * @description JPEG, PNG, WebP, GIF or AVIF, judged by content. 201 with the new image; 200 with the existing one when the profile already has this picture.
     */
    post: {
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
        /** @description A profile image and its variants, served immutable under content-addressed URLs */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Image'];
          };
        };
        /** @description A profile image and its variants, served immutable under content-addressed URLs */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Image'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        408: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    /** Delete an image (its objects are removed by a background task): the owner or an admin */
    delete: {
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
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description An empty body is a sleep of 10 seconds */
      requestBody: {
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
            /** @description Seconds (a number) or a duration such as 30s, 5m; at most 7 days */
            delay?: number | string;
          };
        };
      };
      responses: {
        /** @description A delayed task */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Task'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    get: {
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
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Task'][];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    /** Read a task (its submitter or an admin) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A delayed task */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Task'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Cancel a task that has not started (its submitter or an admin) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A delayed task */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Task'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The export (JSON) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': unknown;
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description RFC 9457 problem details (application/problem+json) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
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
        | 'precondition_failed'
        | 'payload_too_large'
        | 'unsupported_media_type'
        | 'range_not_satisfiable'
        | 'image_undecodable'
        | 'image_too_many_pixels'
        | 'rate_limited'
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
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
