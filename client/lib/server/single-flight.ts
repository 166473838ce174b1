/**
 * One run of `work` per key at a time; its outcome is also handed to whoever asks for the same key
 * within `keepMs` after it settles (a request that read the old cookie just before the new one was
 * set must not start a second run).
 */
export function singleFlight<T>(keepMs: number, now = () => Date.now()) {
  const runs = new Map<string, { result: Promise<T>; settledAt?: number }>();
  const sweep = () => {
    for (const [key, run] of runs)
      if (run.settledAt !== undefined && now() - run.settledAt > keepMs) runs.delete(key);
  };
  return (key: string, work: () => Promise<T>): Promise<T> => {
    sweep();
    const existing = runs.get(key);
    if (existing) return existing.result;
    const run: { result: Promise<T>; settledAt?: number } = { result: work() };
    const settle = () => {
      run.settledAt = now();
    };
    run.result.then(settle, settle);
    runs.set(key, run);
    return run.result;
  };
}
