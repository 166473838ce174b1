export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Skips a failing dependency: after `threshold` consecutive failures it opens for `cooldownMs`,
 * then lets one probe through (half-open); the probe's success closes it, its failure reopens it.
 */
export function createBreaker(opts: {
  threshold: number;
  cooldownMs: number;
  now?: () => number;
  onChange?: (from: BreakerState, to: BreakerState) => void;
}) {
  const now = opts.now ?? Date.now;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openUntil = 0;
  let probing = false;

  const move = (to: BreakerState) => {
    if (to === state) return;
    const from = state;
    state = to;
    opts.onChange?.(from, to);
  };

  return {
    get state() {
      return state;
    },
    /** Whether a call may go to the dependency now. */
    allow(): boolean {
      if (state === 'closed') return true;
      if (state === 'open' && now() >= openUntil) move('half-open');
      if (state === 'half-open' && !probing) {
        probing = true;
        return true;
      }
      return false;
    },
    success(): void {
      failures = 0;
      probing = false;
      move('closed');
    },
    failure(): void {
      failures++;
      probing = false;
      if (state === 'half-open' || failures >= opts.threshold) {
        openUntil = now() + opts.cooldownMs;
        move('open');
      }
    },
  };
}

export type Breaker = ReturnType<typeof createBreaker>;
