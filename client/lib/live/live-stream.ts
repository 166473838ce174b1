// One connection to the API's event stream, kept up: resumed from the last event seen after a drop,
// at once after `reauth` (the proxy then brings a fresh token), with growing pauses while it keeps
// failing. No React, no globals: what it needs is passed in, so that tests can drive it.

/** What is used of an EventSource (the browser's, or a test's stand-in). */
export type Source = {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
};

type Timers = { set: (run: () => void, ms: number) => unknown; clear: (timer: unknown) => void };

export type StreamOptions = {
  url: string;
  names: readonly string[];
  connect: (url: string) => Source;
  onEvent: (name: string, data: unknown, id: string) => void;
  /** What the page loaded may be behind the stream: it started afresh, or the API said `reset`. */
  onResync: () => void;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
};

export type LiveStream = { start(): void; stop(): void; readonly lastId: string | undefined };

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A connection that lasted this long was a good one: the next failure starts the pauses over. */
const STABLE_MS = 5_000;

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

/** The pause before the next attempt: doubling from 1 s up to 30 s, jittered (full jitter, from
 * half up) so that pages cut off at once (an instance shutting down) do not all return at once. */
function backoff(random: () => number) {
  let failures = 0;
  return {
    next(): number {
      const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** failures);
      failures += 1;
      return ceiling / 2 + (random() * ceiling) / 2;
    },
    reset: () => {
      failures = 0;
    },
  };
}

/** Parses an event's data; what cannot be read is skipped (its id still counts as seen). */
function parsed(data: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(data) };
  } catch {
    return { ok: false };
  }
}

export function createLiveStream(opts: StreamOptions): LiveStream {
  const timers = opts.timers ?? realTimers;
  const now = opts.now ?? Date.now;
  const pauses = backoff(opts.random ?? Math.random);
  let source: Source | undefined;
  let lastId: string | undefined;
  let openedAt: number | undefined;
  let timer: unknown;

  const close = () => {
    source?.close();
    source = undefined;
    timers.clear(timer);
    timer = undefined;
  };

  /** At once after a connection that lasted, if `soon`; else after the next pause. */
  const reconnect = (soon: boolean) => {
    const lasted = openedAt !== undefined && now() - openedAt >= STABLE_MS;
    close();
    openedAt = undefined;
    if (lasted) pauses.reset();
    timer = timers.set(open, soon && lasted ? 0 : pauses.next());
  };

  const handlers = (resumed: boolean): Record<string, (event: MessageEvent<string>) => void> => ({
    open: () => {
      openedAt = now();
      // Without a last id the API starts from "now", which may be after what the page loaded.
      if (!resumed) opts.onResync();
    },
    // The browser would retry on its own every `retry:` (2 s) for ever: the pauses here grow instead.
    error: () => reconnect(false),
    reauth: () => reconnect(true),
    reset: () => opts.onResync(),
    ...Object.fromEntries(
      opts.names.map((name) => [
        name,
        (event: MessageEvent<string>) => {
          if (event.lastEventId) lastId = event.lastEventId;
          const data = parsed(event.data);
          if (data.ok) opts.onEvent(name, data.value, event.lastEventId);
        },
      ]),
    ),
  });

  function open() {
    timer = undefined;
    // A new EventSource cannot send Last-Event-ID: the API reads the query instead.
    const url = lastId ? `${opts.url}?last_event_id=${encodeURIComponent(lastId)}` : opts.url;
    const s = opts.connect(url);
    source = s;
    // A connection given up on may still deliver what it had buffered: it is not heard any more.
    for (const [type, handle] of Object.entries(handlers(lastId !== undefined)))
      s.addEventListener(type, (event) => source === s && handle(event));
  }

  return {
    start: () => {
      if (!source && timer === undefined) open();
    },
    stop: close,
    get lastId() {
      return lastId;
    },
  };
}
