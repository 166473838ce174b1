'use client';

import { createContext, type ReactNode, useContext, useEffect, useEffectEvent, useState } from 'react';
import type { LiveEvent, LiveEventName } from './events';
import { createLiveHub, type LiveHub } from './live-hub';

const LiveContext = createContext<LiveHub | undefined>(undefined);

/** The page's event stream, for the views under it; opened once one of them listens. */
export function LiveProvider({ children }: { children: ReactNode }) {
  // Made in the browser only: the server renders no stream.
  const [hub, setHub] = useState<LiveHub | undefined>();
  useEffect(() => {
    const made = createLiveHub((url) => new EventSource(url));
    setHub(made);
    return () => made.dispose();
  }, []);
  return <LiveContext value={hub}>{children}</LiveContext>;
}

/**
 * Calls `onEvent` with each event named in `names`, and `onResync` when what was loaded may have
 * missed some (the stream started afresh, or the API could no longer replay what was missed): reload
 * then. The callbacks may change on every render; `names` is read once.
 */
export function useLive<N extends LiveEventName>(
  names: readonly N[],
  onEvent: (event: LiveEvent<N>) => void,
  onResync?: () => void,
): void {
  const hub = useContext(LiveContext);
  const handle = useEffectEvent((event: LiveEvent) => onEvent(event as LiveEvent<N>));
  const resync = useEffectEvent(() => onResync?.());
  const [listened] = useState(names);
  useEffect(() => {
    if (!hub) return;
    return hub.listen(listened, handle, resync);
  }, [hub, listened]);
}
