// The workers of the task parts, started only as a part needs more of them. A new set first runs an
// unmeasured batch, so that no measured batch pays for cold workers (or a cold POST path in the API).
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import { startWorker } from '../../lib/targets.js';

export const WARMUP_TASKS = 200;

export type WorkerPool = {
  /** Starts workers up to `n`; after a start, warms them. */
  ensure(n: number): Promise<void>;
  stop(): Promise<void>;
};

export function workerPool(res: Resources, warmUp: (n: number) => Promise<void>): WorkerPool {
  const workers: Running[] = [];
  return {
    ensure: async (n) => {
      if (workers.length >= n) return;
      while (workers.length < n) workers.push(await startWorker(res, workers.length + 1));
      await warmUp(n);
    },
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
