import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthUnavailableError } from '../../auth/key-store.js';
import { ANONYMOUS, type Principal } from '../../auth/principal.js';
import { InvalidTokenError, type TokenVerifier } from '../../auth/verifier.js';
import { AppError, ERRORS } from '../../errors.js';
import type { Metrics } from '../../telemetry/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: resolved once, before the body is read. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /**
     * `required`: anonymous callers get 401 before anything else happens; `optional` (the default):
     * a token changes what the caller sees; `none`: the route ignores Authorization (health, metrics).
     */
    auth?: 'required' | 'optional' | 'none';
  }
}

// RFC 6750's b64token.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

async function principalOf(verifier: Pick<TokenVerifier, 'verify'>, header: string): Promise<Principal> {
  const token = BEARER.exec(header)?.[1];
  if (!token) throw ERRORS.invalidToken();
  try {
    return await verifier.verify(token);
  } catch (err) {
    if (err instanceof AuthUnavailableError) throw ERRORS.authUnavailable();
    if (err instanceof InvalidTokenError) throw ERRORS.invalidToken();
    throw err;
  }
}

/**
 * Resolves the caller from `Authorization: Bearer` on every request: a verified token is a user, no
 * header is anonymous, anything else is 401 invalid_token (RFC 6750) even where no token is needed.
 * Runs before the body is read, so a refused upload is never received.
 */
export const authPlugin = fp<{
  verifier: Pick<TokenVerifier, 'verify'>;
  metrics?: Pick<Metrics['access'], 'authFailures'>;
}>(
  async (app, { verifier, metrics }) => {
    const refuse = (err: AppError) => {
      metrics?.authFailures.inc({ code: err.code });
      return err;
    };
    app.decorateRequest('principal', null as never);
    const required = (request: FastifyRequest) => request.routeOptions.config?.auth === 'required';
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      if (header === undefined || request.routeOptions.config?.auth === 'none') {
        request.principal = ANONYMOUS;
        done(required(request) ? refuse(ERRORS.unauthenticated()) : undefined);
        return;
      }
      principalOf(verifier, header).then(
        (principal) => {
          request.principal = principal;
          done();
        },
        (err: unknown) => done(err instanceof AppError ? refuse(err) : (err as Error)),
      );
    });
  },
  { name: 'auth' },
);
