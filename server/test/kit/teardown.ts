/** What registers teardown: a test's context (`t`), or anything else with an `after`. */
export type Teardown = { after(fn: () => unknown): void };

/**
 * Teardown that runs last-registered first, as resources built on each other must be released
 * (a worker before the app it runs on, the app before its data directory). node:test runs a test's
 * own `t.after` hooks in the order they were registered; this keeps one of them and unwinds a stack
 * in it. Every step runs even when one fails; the first failure is rethrown.
 */
export function teardown(ctx: Teardown): Teardown {
  const steps: (() => unknown)[] = [];
  ctx.after(async () => {
    let failure: unknown;
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure) throw failure;
  });
  return { after: (fn) => void steps.push(fn) };
}
