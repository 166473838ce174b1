// How operations declare the bearer token in OpenAPI (the /docs Authorize button; generated clients).

export const BEARER_SCHEME = 'bearer';

export const securitySchemes = {
  [BEARER_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from the OpenID Provider named by AUTH_ISSUER',
  },
} as const;

type Requirement = { [scheme: string]: string[] };

/** The operation needs a token. */
export const tokenRequired: Requirement[] = [{ [BEARER_SCHEME]: [] }];
/** A token is optional: it changes what the caller sees. */
export const tokenOptional: Requirement[] = [{}, { [BEARER_SCHEME]: [] }];
