import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../../cache/redis-store.js';
import type { RateBudget, RateClass } from '../../config.js';
import { ERRORS } from '../../errors.js';
import type { Logger } from '../../telemetry/logger.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { createClassStore } from './rate-limit-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which budget a route spends: by default `read` for GET/HEAD and `write` for the rest. */
    rateClass?: RateClass | 'none';
  }
}

export type RateLimitOptions = {
  limits: Readonly<Record<RateClass, RateBudget>>;
  /** Shared by all instances when given (one budget across them); in-process otherwise. */
  redis?: RedisClient | undefined;
  keyPrefix: string;
  metrics: Pick<Metrics['access'], 'rateLimited' | 'rateLimitStoreErrors'>;
  logger: Pick<Logger, 'warn' | 'info'>;
};

/** The budget a request's route spends, as the onRoute hook below named it. */
function budgetOf(request: FastifyRequest): string | undefined {
  const config = request.routeOptions.config?.rateLimit;
  return config ? config.groupId : undefined;
}

// Served to CDNs, browsers' docs and probes: never counted against a caller.
const UNCOUNTED = /^\/(media|docs|openapi\.json|health|metrics)(\/|$)/;

const classOf = (route: RouteOptions): RateClass | 'none' => {
  const declared = route.config?.rateClass;
  if (declared) return declared;
  if (UNCOUNTED.test(route.url)) return 'none';
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.every((m) => m === 'GET' || m === 'HEAD') ? 'read' : 'write';
};

/** The caller a budget belongs to: its subject when authenticated, its address otherwise. */
const callerOf = (request: FastifyRequest) =>
  request.principal?.kind === 'user' ? `sub:${request.principal.sub}` : `ip:${request.ip}`;

/**
 * Budgets per caller and class of request (reads, writes, uploads, task submissions), answered with
 * the IETF draft's RateLimit-Policy and RateLimit headers, 429 `rate_limited` with Retry-After once
 * spent. Runs after the caller is known (the auth hook) and before the body is read.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app, opts) => {
    const store = createClassStore(opts);
    // Before the rate-limit plugin's own onRoute hook reads it: each route's budget.
    app.addHook('onRoute', (route) => {
      const budgetName = classOf(route);
      if (budgetName === 'none') return;
      const budget = opts.limits[budgetName];
      route.config = {
        ...route.config,
        rateLimit: { max: budget.max, timeWindow: budget.windowMs, groupId: budgetName },
      } as typeof route.config;
    });
    await app.register(rateLimit, {
      global: false,
      hook: 'onRequest',
      keyGenerator: callerOf,
      nameSpace: opts.keyPrefix,
      skipOnError: true,
      store,
      enableDraftSpec: true,
      errorResponseBuilder: (request, ctx) => {
        const name = budgetOf(request) ?? 'request';
        opts.metrics.rateLimited.inc({ budget: name });
        return ERRORS.rateLimited(`Too many ${name} requests; retry in ${ctx.after}`);
      },
    });
    // A callback, not an async function: it runs on every response, and has nothing to wait for.
    app.addHook('onSend', (request, reply, payload, done) => {
      const name = budgetOf(request);
      const limit = reply.getHeader('ratelimit-limit');
      if (!name || limit === undefined) return done(null, payload);
      const window = Math.round((opts.limits[name as RateClass]?.windowMs ?? 0) / 1000);
      reply.header('ratelimit-policy', `"${name}";q=${limit};w=${window}`);
      reply.header(
        'ratelimit',
        `"${name}";r=${reply.getHeader('ratelimit-remaining') ?? 0};t=${reply.getHeader('ratelimit-reset') ?? 0}`,
      );
      reply.removeHeader('ratelimit-limit');
      reply.removeHeader('ratelimit-remaining');
      reply.removeHeader('ratelimit-reset');
      done(null, payload);
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
