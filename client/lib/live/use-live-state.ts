import { useCallback, useRef, useState } from 'react';

/**
 * State read from the API and kept current by events. Events that come while it is being read are
 * held, then applied to what the read returns: the API may have answered from before them.
 */
export function useLiveState<S, E>(apply: (state: S, event: E) => S) {
  const [state, setState] = useState<S | undefined>();
  const held = useRef<E[] | undefined>([]);

  /** A new read begins (other filters, another page): what was shown goes, events wait for it. */
  const reading = useCallback(() => {
    held.current = [];
    setState(undefined);
  }, []);

  const read = (fresh: S) => {
    const waiting = held.current ?? [];
    held.current = undefined;
    setState(waiting.reduce(apply, fresh));
  };

  /** The read failed: nothing is shown, so nothing is held for it either. */
  const failed = useCallback(() => {
    held.current = undefined;
  }, []);

  const event = (e: E) => {
    if (held.current) held.current.push(e);
    else setState((s) => (s === undefined ? s : apply(s, e)));
  };

  return { state, setState, reading, read, failed, event };
}
