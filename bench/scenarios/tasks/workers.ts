// The workers of the task parts, started only as a part needs more of them. A new set first runs an
// unmeasured batch, so that no measured batch pays for cold workers (or a cold POST path in the API).
import { type MemoryRow, memoryWatch } from '../../lib/memory.js';
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import { startWorker } from '../../lib/targets.js';

export const WARMUP_TASKS = 200;

export type WorkerPool = {
  /** Starts workers up to `n`; after a start, warms them. */
  ensure(n: number): Promise<void>;
  /** The running workers' process ids. */
  pids(): number[];
  /** The running workers themselves. */
  running(): Running[];
  /** Each worker's memory so far (read before stop). */
  memory(): MemoryRow[];
  stop(): Promise<void>;
};

export function workerPool(res: Resources, warmUp: (n: number) => Promise<void>): WorkerPool {
  const workers: Running[] = [];
  const watch = memoryWatch();
  return {
    ensure: async (n) => {
      if (workers.length >= n) return;
      while (workers.length < n) {
        const worker = await startWorker(res, workers.length + 1);
        workers.push(worker);
        watch.add(worker);
      }
      await warmUp(n);
    },
    pids: () => workers.map((w) => w.pid),
    running: () => [...workers],
    memory: () => watch.rows(),
    stop: async () => {
      watch.stop();
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
