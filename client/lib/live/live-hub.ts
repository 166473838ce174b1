// The page's one event stream, shared by whatever shows live data: open while something listens,
// and for a while after (a navigation unmounts one listener just before mounting the next, and the
// API allows only a few streams per person, SSE_MAX_PER_CALLER).
import { LIVE_EVENT_NAMES, type LiveEvent, type LiveEventName } from './events';
import { createLiveStream, type LiveStream, type Source } from './live-stream';

export const EVENTS_PATH = '/api/v1/events';
const LINGER_MS = 30_000;

type Listener = { names: ReadonlySet<string>; onEvent: (event: LiveEvent) => void; onResync?: () => void };

export type LiveHub = {
  /** Listens to `names` (and to resyncs) until the returned function is called. */
  listen(
    names: readonly LiveEventName[],
    onEvent: (event: LiveEvent) => void,
    onResync?: () => void,
  ): () => void;
  dispose(): void;
};

export function createLiveHub(connect: (url: string) => Source, lingerMs = LINGER_MS): LiveHub {
  const listeners = new Set<Listener>();
  let stream: LiveStream | undefined;
  let closing: ReturnType<typeof setTimeout> | undefined;

  const each = (run: (l: Listener) => void) => {
    for (const l of [...listeners]) {
      try {
        run(l);
      } catch (err) {
        // One view's bug must not keep the event from the others.
        console.error(err);
      }
    }
  };

  const streamFor = () =>
    createLiveStream({
      url: EVENTS_PATH,
      names: LIVE_EVENT_NAMES,
      connect,
      onEvent: (name, data, id) =>
        each((l) => l.names.has(name) && l.onEvent({ name, data, id } as LiveEvent)),
      onResync: () => each((l) => l.onResync?.()),
    });

  return {
    listen(names, onEvent, onResync) {
      const listener: Listener = { names: new Set(names), onEvent, ...(onResync ? { onResync } : {}) };
      listeners.add(listener);
      clearTimeout(closing);
      stream ??= streamFor();
      stream.start();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        clearTimeout(closing);
        closing = setTimeout(() => {
          stream?.stop();
          stream = undefined;
        }, lingerMs);
      };
    },
    dispose() {
      clearTimeout(closing);
      listeners.clear();
      stream?.stop();
      stream = undefined;
    },
  };
}
