import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { coalesce } from '../../src/lib/coalesce.js';

/** A batch operation whose batches are recorded and released by hand. */
function gated() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((r) => gates.push(r));
    return items.map((n) => n * 10);
  };
  const open = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { run, batches, open };
}

describe('coalesce', () => {
  const manager = new AsyncLocalStorageContextManager();
  before(() => context.setGlobalContextManager(manager.enable()));
  after(() => context.disable());

  it('runs a lone call at once, as a batch of one', async () => {
    const g = gated();
    const call = coalesce(g.run);
    const result = call(1);
    await g.open();
    assert.equal(await result, 10);
    assert.deepEqual(g.batches, [[1]]);
  });

  it('puts the calls made while a batch runs into the next one, each getting its own result', async () => {
    const g = gated();
    const call = coalesce(g.run);
    const first = call(1);
    const rest = [call(2), call(3), call(4)];
    await g.open();
    await g.open();
    assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
    assert.deepEqual(g.batches, [[1], [2, 3, 4]]);
  });

  it('keeps batches within maxBatch', async () => {
    const g = gated();
    const call = coalesce(g.run, 2);
    const all = [1, 2, 3, 4, 5].map(call);
    for (let i = 0; i < 3; i++) await g.open();
    assert.deepEqual(await Promise.all(all), [10, 20, 30, 40, 50]);
    assert.deepEqual(g.batches, [[1], [2, 3], [4, 5]]);
  });

  it("gives a failed batch's error to each of its callers, and the next batch still runs", async () => {
    let calls = 0;
    const call = coalesce(async (items: number[]) => {
      calls++;
      if (items.includes(2)) throw new Error('boom');
      return items;
    });
    const [a, b, c] = [call(1), call(2), call(3)];
    assert.equal(await a, 1);
    await assert.rejects(b, /boom/);
    await assert.rejects(c, /boom/);
    assert.equal(await call(4), 4);
    assert.equal(calls, 3);
  });

  it('runs each batch in the context of its first caller', async () => {
    const key = createContextKey('caller');
    const seen: unknown[] = [];
    const call = coalesce(async (items: string[]) => {
      seen.push(context.active().getValue(key));
      await new Promise((r) => setImmediate(r));
      return items;
    });
    const within = (name: string) => context.with(context.active().setValue(key, name), () => call(name));
    await Promise.all([within('a'), within('b'), within('c')]);
    await within('d');
    assert.deepEqual(seen, ['a', 'b', 'd']);
  });
});
