import { type Context, context } from '@opentelemetry/api';

type Pending<In, Out> = { item: In; ctx: Context; resolve(out: Out): void; reject(err: unknown): void };

/**
 * Turns a batch operation into a per-item call. A call made while no batch runs starts one at once
 * (so a lone call waits for nothing); calls made while one runs wait and go together in the next,
 * up to `maxBatch`. Under load one statement then serves many callers, which is where the saving
 * is: a round trip and a commit cost far more than a row. `run` returns one result per item, in
 * order; if it throws, every caller of that batch gets the error. A batch runs in the context of
 * its first caller, so its spans sit under a real request instead of under the previous batch.
 */
export function coalesce<In, Out>(
  run: (items: In[]) => Promise<Out[]>,
  maxBatch = 100,
): (item: In) => Promise<Out> {
  const queue: Pending<In, Out>[] = [];
  let running = false;

  function next(): void {
    if (running || queue.length === 0) return;
    const batch = queue.splice(0, maxBatch);
    running = true;
    const first = batch[0] as Pending<In, Out>;
    Promise.resolve()
      .then(() => context.with(first.ctx, () => run(batch.map((p) => p.item))))
      .then(
        (outs) => {
          for (const [i, p] of batch.entries()) p.resolve(outs[i] as Out);
        },
        (err: unknown) => {
          for (const p of batch) p.reject(err);
        },
      )
      .finally(() => {
        running = false;
        next();
      });
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, ctx: context.active(), resolve, reject });
      next();
    });
}
