type Run<T> = { result: Promise<T>; settledAt?: number; value?: { of: T } };

/**
 * One run of `work` per key at a time; its outcome is also handed to whoever asks for the same key
 * within `keepMs` after it settles (a request that read the old cookie just before the new one was
 * set must not start a second run), unless its value is no longer `reusable` by then.
 */
export function singleFlight<T>(
  keepMs: number,
  now = () => Date.now(),
  reusable: (value: T) => boolean = () => true,
) {
  const runs = new Map<string, Run<T>>();
  const sweep = () => {
    for (const [key, run] of runs)
      if (run.settledAt !== undefined && now() - run.settledAt > keepMs) runs.delete(key);
  };
  const stale = (run: Run<T>) => run.value !== undefined && !reusable(run.value.of);
  return (key: string, work: () => Promise<T>): Promise<T> => {
    sweep();
    const existing = runs.get(key);
    if (existing && !stale(existing)) return existing.result;
    const run: Run<T> = { result: work() };
    const settle = () => {
      run.settledAt = now();
    };
    run.result.then((value) => {
      run.value = { of: value };
      settle();
    }, settle);
    runs.set(key, run);
    return run.result;
  };
}
