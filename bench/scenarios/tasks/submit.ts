// Submitting echo tasks through the API and counting what it accepted (202): a closed loop, as fast as it
// answers, for throughput; an open loop at a fixed rate for latency, where a slow answer must not slow
// the offered load down.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { eachLimit } from '../../lib/concurrency.js';

export const SUBMIT_CONCURRENCY = 32;

export type Submitted = {
  offered: number;
  accepted: number;
  rejected: number;
  firstError?: string;
  seconds: number;
};

type TaskBody = { type: 'echo'; payload: { batch: string; i: number }; delay: number };
export type Post = (body: TaskBody, into: Submitted) => Promise<void>;

/** One POST on a kept-alive connection: its status and body. */
function post(
  url: URL,
  agent: Agent,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `auth`: an admin's Authorization header, since echo tasks are for admins only. Node's own HTTP
 * client on kept-alive connections: the load generator shares the cores with what it measures,
 * and fetch cost it about twice the CPU per request.
 */
export function submitter(serviceUrl: string, auth: Record<string, string>): Post {
  const url = new URL(`${serviceUrl}/api/v1/tasks/delayed`);
  const agent = new Agent({ keepAlive: true, maxSockets: SUBMIT_CONCURRENCY * 4 });
  const headers = { 'content-type': 'application/json', ...auth };
  return async (body, into) => {
    into.offered += 1;
    try {
      const res = await post(url, agent, headers, JSON.stringify(body));
      if (res.status === 202) into.accepted += 1;
      else {
        into.rejected += 1;
        into.firstError ??= `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
      }
    } catch (err) {
      into.rejected += 1;
      into.firstError ??= (err as Error).message;
    }
  };
}

const emptySubmitted = (): Submitted => ({ offered: 0, accepted: 0, rejected: 0, seconds: 0 });

/** `count` tasks, at most `concurrency` requests in flight. */
export async function submitBatch(
  post: Post,
  batch: string,
  count: number,
  delay: number,
  concurrency = SUBMIT_CONCURRENCY,
): Promise<Submitted> {
  const out = emptySubmitted();
  const started = performance.now();
  const indexes = Array.from({ length: count }, (_, i) => i);
  await eachLimit(indexes, concurrency, (i) => post({ type: 'echo', payload: { batch, i }, delay }, out));
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

/** The i-th task is sent at i ÷ rate seconds whether or not earlier ones were answered. */
export async function submitAtRate(
  post: Post,
  batch: string,
  rate: number,
  durationSec: number,
): Promise<Submitted & { maxInFlight: number }> {
  const out = { ...emptySubmitted(), maxInFlight: 0 };
  const total = Math.round(rate * durationSec);
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const p: Promise<void> = post({ type: 'echo', payload: { batch, i }, delay: 0 }, out).finally(() =>
        pending.delete(p),
      );
      pending.add(p);
    }
    out.maxInFlight = Math.max(out.maxInFlight, pending.size);
    if (i < total) await sleep(Math.max(0, started + (i * 1000) / rate - performance.now()));
  }
  await Promise.all(pending);
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
