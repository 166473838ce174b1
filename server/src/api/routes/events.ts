import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../auth/principal.js';
import type { EventsConfig } from '../../config.js';
import { ERRORS } from '../../errors.js';
import type { EventHub } from '../../events/hub.js';
import { eventFor } from '../../events/stream-access.js';
import type { OutboxRepository, StreamedEvent } from '../../repository/outbox.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { problems } from '../schemas/problem.js';
import { tokenOptional } from '../schemas/security.js';

type Deps = {
  hub: Pick<EventHub, 'subscribe'>;
  outbox: Pick<OutboxRepository, 'after' | 'oldestKept'>;
  limits: EventsConfig;
  metrics: Pick<Metrics['events'], 'streams' | 'sent'>;
};

// A slow reader is cut off rather than buffered for without bound; it resumes with Last-Event-ID.
const MAX_BUFFERED = 1_048_576;

const EventsQuery = Type.Object(
  {
    last_event_id: Type.Optional(
      Type.String({
        pattern: '^\\d{1,18}$',
        maxLength: 18,
        description: 'For clients that cannot send Last-Event-ID',
      }),
    ),
  },
  { additionalProperties: false },
);

const frame = (event: string, data: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The number of the last event a reconnecting client saw, if it says. */
function lastSeen(header: unknown, query: string | undefined): number | undefined {
  const raw = typeof header === 'string' && /^\d{1,18}$/.test(header.trim()) ? header.trim() : query;
  return raw === undefined ? undefined : Number(raw);
}

/** Open streams, in all and per caller, for the limits. */
function createStreamCounts(limits: EventsConfig) {
  const perCaller = new Map<string, number>();
  let total = 0;
  return {
    open(caller: string): boolean {
      const mine = perCaller.get(caller) ?? 0;
      if (total >= limits.maxStreams || mine >= limits.maxPerCaller) return false;
      perCaller.set(caller, mine + 1);
      total++;
      return true;
    },
    close(caller: string) {
      const mine = (perCaller.get(caller) ?? 1) - 1;
      if (mine <= 0) perCaller.delete(caller);
      else perCaller.set(caller, mine);
      total--;
    },
  };
}

/**
 * GET /api/v1/events: Server-Sent Events. Profile changes (public fields) to everyone; a task's
 * changes to its submitter and admins. A reconnect with Last-Event-ID is sent what it missed from
 * the outbox (or told to reload, when that is gone or too much); a heartbeat keeps idle streams open
 * through proxies; when the caller's token expires the stream says so (`reauth`) and ends.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  const counts = createStreamCounts(deps.limits);
  const open = new Set<ServerResponse>();
  // Before the server stops listening (it would otherwise wait for these to end): streams end, and
  // their clients reconnect, to another instance, with Last-Event-ID.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '',
    {
      schema: {
        tags: ['events'],
        operationId: 'streamEvents',
        summary: 'Live changes: profiles for everyone, your tasks (all, for an admin), as Server-Sent Events',
        description:
          'Events `profile.created|updated|deleted` and `task.<status>`, each with an `id`; reconnect with `Last-Event-ID` to receive what was missed. `reset`: the gap is too old, reload; `reauth`: the token expired, reconnect with a fresh one.',
        security: tokenOptional,
        querystring: EventsQuery,
        response: {
          200: {
            description: 'The stream: `id`, `event` and a JSON `data` line per event, comments as heartbeats',
            content: { 'text/event-stream': { schema: Type.String({ maxLength: 1_048_576 }) } },
          },
          ...problems(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const caller = request.principal.kind === 'user' ? `sub:${request.principal.sub}` : `ip:${request.ip}`;
      if (!counts.open(caller)) {
        reply.header('retry-after', '10');
        throw ERRORS.rateLimited('Too many open event streams for this caller or in all');
      }
      const last = lastSeen(request.headers['last-event-id'], request.query.last_event_id);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx (and proxies that honour it) must pass each event on at once.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      open.add(res);
      deps.metrics.streams.inc();
      const stream = startStream(res, request.principal, last, deps);
      request.raw.once('close', () => {
        stream.stop();
        open.delete(res);
        counts.close(caller);
        deps.metrics.streams.dec();
      });
    },
  );
};

function startStream(res: ServerResponse, viewer: Principal, last: number | undefined, deps: Deps) {
  // A fresh stream has seen nothing: whatever its subscription hears is sent.
  let sentUpTo = last ?? 0;
  let replaying = true;
  const held: StreamedEvent[] = [];
  const write = (text: string) => {
    if (res.writableEnded) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED) res.end();
  };
  const send = (event: StreamedEvent) => {
    if (event.seq <= sentUpTo) return;
    sentUpTo = event.seq;
    const data = eventFor(viewer, event);
    if (!data) return;
    write(frame(event.routing_key, data, event.seq));
    deps.metrics.sent.inc({ type: event.routing_key.split('.')[0] ?? 'other' });
  };
  // Live events are held while the catch-up is read, then sent after it: none lost, none twice.
  const unsubscribe = deps.hub.subscribe((event) => (replaying ? held.push(event) : send(event)));
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), deps.limits.heartbeatMs);
  const expiry =
    viewer.kind === 'user' && viewer.exp !== undefined
      ? setTimeout(
          () => {
            write(frame('reauth', { reason: 'the access token expired: reconnect with a fresh one' }));
            res.end();
          },
          Math.max(0, viewer.exp - Date.now()),
        )
      : undefined;
  write('retry: 2000\n\n');
  void catchUp(last, deps, send, write)
    .catch(() => {
      write(frame('reset', { reason: 'the events missed could not be read: reload' }));
    })
    .finally(() => {
      replaying = false;
      for (const event of held.splice(0)) send(event);
    });
  return {
    stop() {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(expiry);
    },
  };
}

/**
 * Sends what a reconnecting client missed, or says `reset` when that is gone; a fresh stream has
 * nothing to catch up on. (Starting a fresh one at the newest number read from the outbox raced
 * with the relay: an event published after the subscription, but numbered before that read
 * returned, was taken for one from before and never sent.)
 */
async function catchUp(
  last: number | undefined,
  deps: Deps,
  send: (event: StreamedEvent) => void,
  write: (text: string) => void,
): Promise<void> {
  if (last === undefined) return;
  const [oldest, missed] = await Promise.all([
    deps.outbox.oldestKept(),
    deps.outbox.after(last, deps.limits.replayMax + 1),
  ]);
  if ((oldest !== undefined && last < oldest - 1) || missed.length > deps.limits.replayMax) {
    // What was heard since subscribing follows the reset, as on a fresh stream.
    write(frame('reset', { reason: 'events were missed that are no longer kept: reload' }));
    return;
  }
  for (const event of missed) send(event);
}
