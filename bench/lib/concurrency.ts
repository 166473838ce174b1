// Bounded concurrency: enough requests in flight to load a target, not so many that the bench measures
// its own queueing.

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
