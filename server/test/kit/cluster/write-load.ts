// Writes through the edge while something breaks underneath: profiles and tasks created by loops
// that never stop for an error, each under an Idempotency-Key of its own, every answer kept; then
// every write that failed retried with its key until it is answered.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export type Attempt = {
  kind: 'profile' | 'task';
  key: string;
  /** The body sent, the same on a retry. */
  body: Record<string, unknown>;
  started: number;
  ended: number;
  status?: number;
  /** The problem's code and detail of a refusal, the id of a success. */
  code?: string;
  detail?: string;
  id?: string;
  retryAfter?: string | null;
  contentType?: string | null;
  replayed?: boolean;
  /** A request that got no answer (a reset, a timeout). */
  error?: string;
};

const CREATED = { profile: 201, task: 202 } as const;
const PATHS = { profile: '/api/v1/profiles', task: '/api/v1/tasks/delayed' } as const;

export const succeeded = (a: Attempt) => a.status === CREATED[a.kind];

/** One POST under the attempt's key; never throws, the outcome is in what it returns. */
export async function send(
  edge: string,
  auth: Record<string, string>,
  a: Pick<Attempt, 'kind' | 'key' | 'body'>,
): Promise<Attempt> {
  const out: Attempt = { ...a, started: Date.now(), ended: 0 };
  try {
    const res = await fetch(`${edge}${PATHS[a.kind]}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': a.key },
      body: JSON.stringify(a.body),
      signal: AbortSignal.timeout(20_000),
    });
    out.status = res.status;
    out.retryAfter = res.headers.get('retry-after');
    out.contentType = res.headers.get('content-type');
    out.replayed = res.headers.get('idempotent-replayed') === 'true';
    const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string; detail?: string };
    if (succeeded(out)) out.id = body.id;
    else Object.assign(out, { code: body.code, detail: body.detail });
  } catch (err) {
    out.error = (err as Error).message;
  }
  out.ended = Date.now();
  return out;
}

const bodyOf = (kind: Attempt['kind'], key: string, tag: string) =>
  kind === 'profile'
    ? { name: `Failover ${tag}`, email: `failover.${key}@example.com` }
    : { type: 'echo', payload: { marker: key } };

/**
 * `writers` loops creating profiles and `taskers` loops submitting echo tasks through `edge` until
 * `stop()` says so; a loop pauses 100 ms after a failure rather than spinning on it.
 */
export async function writeLoad(
  opts: { edge: string; auth: Record<string, string>; writers: number; taskers: number; tag: string },
  stop: () => boolean,
): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const loop = async (kind: Attempt['kind']) => {
    while (!stop()) {
      const key = randomUUID();
      const a = await send(opts.edge, opts.auth, { kind, key, body: bodyOf(kind, key, opts.tag) });
      attempts.push(a);
      if (!succeeded(a)) await sleep(100);
    }
  };
  await Promise.all([
    ...Array.from({ length: opts.writers }, () => loop('profile')),
    ...Array.from({ length: opts.taskers }, () => loop('task')),
  ]);
  return attempts;
}

/**
 * Retries a failed attempt with its key and body until it succeeds, as a client would: after the
 * Retry-After of a 503 or a 409 (the key still held by the request that failed), at most `deadlineMs`.
 */
export async function retryUntilDone(
  edge: string,
  auth: Record<string, string>,
  failed: Attempt,
  deadlineMs = 90_000,
): Promise<Attempt> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const a = await send(edge, auth, failed);
    if (succeeded(a)) return a;
    const retryable = a.error !== undefined || a.status === 503 || a.status === 409;
    if (!retryable || Date.now() > until)
      throw new Error(`retry of ${failed.kind} ${failed.key}: ${a.status ?? a.error} ${a.code ?? ''}`);
    await sleep(Math.min(5, Number(a.retryAfter ?? 1)) * 1000);
  }
}
