import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export type EventuallyOptions<T> = {
  /** Whether the probe's value is the one awaited; by default any truthy value is. */
  until?: (value: T) => boolean;
  /** Generous by default: these machines are shared and a loaded one is slow, not broken. */
  timeoutMs?: number;
  intervalMs?: number;
  /** A reason to stop waiting at once (the process that should answer has exited, say). */
  stopIf?: () => string | false | undefined;
};

const show = (value: unknown) => inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY });

/**
 * Polls `probe` until its value is the one awaited (`until`, or truthy) and resolves to that value.
 * A probe that throws (an assertion, a refused connection) is tried again. Past the deadline it
 * fails naming `what` was awaited and the probe's last value or error, so a timeout says where
 * things stood rather than only that time ran out.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  { until = (v) => Boolean(v), timeoutMs = 60_000, intervalMs = 50, stopIf }: EventuallyOptions<T> = {},
): Promise<T> {
  const started = Date.now();
  let last = 'no attempt finished';
  for (;;) {
    const stop = stopIf?.();
    if (stop) throw new Error(`gave up waiting until ${what}: ${stop}; last ${last}`);
    try {
      const value = await probe();
      if (until(value)) return value;
      last = `value: ${show(value)}`;
    } catch (err) {
      last = `error: ${err instanceof Error ? err.message : show(err)}`;
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}; last ${last}`);
    await sleep(intervalMs);
  }
}

/** Resolves once `url` answers 200 (to the response); `stopIf` as for eventually. */
export function answers200(
  url: string,
  opts: Omit<EventuallyOptions<Response>, 'until'> = {},
): Promise<Response> {
  return eventually(
    `${url} answers 200`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return res;
      await res.arrayBuffer();
      throw new Error(`status ${res.status}`);
    },
    { intervalMs: 200, ...opts },
  );
}
