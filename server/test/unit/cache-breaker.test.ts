import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BreakerState, createBreaker } from '../../src/cache/breaker.js';

/** A breaker on a clock the test moves, recording every change of state. */
function breakerAt(threshold = 3, cooldownMs = 1000) {
  let now = 0;
  const changes: string[] = [];
  const breaker = createBreaker({
    threshold,
    cooldownMs,
    now: () => now,
    onChange: (from: BreakerState, to: BreakerState) => changes.push(`${from}→${to}`),
  });
  const fail = (times: number) => {
    for (let i = 0; i < times; i++) {
      assert.ok(breaker.allow(), `call ${i + 1} is let through`);
      breaker.failure();
    }
  };
  return { breaker, changes, fail, advance: (ms: number) => (now += ms) };
}

describe('cache breaker', () => {
  it('stays closed below the threshold, and a success forgets earlier failures', () => {
    const { breaker, changes, fail } = breakerAt(3);
    fail(2);
    breaker.success();
    fail(2);
    assert.equal(breaker.state, 'closed', 'four failures, but never three in a row');
    assert.ok(breaker.allow());
    assert.deepEqual(changes, []);
  });

  it('opens on the threshold-th consecutive failure and refuses every call for the cooldown', () => {
    const { breaker, changes, fail, advance } = breakerAt(3, 1000);
    fail(3);
    assert.equal(breaker.state, 'open');
    assert.deepEqual(changes, ['closed→open']);
    for (const wait of [0, 500, 499]) {
      advance(wait);
      assert.equal(breaker.allow(), false, 'skipped while cooling down');
    }
    assert.equal(breaker.state, 'open');
  });

  it('after the cooldown lets exactly one probe through (half-open)', () => {
    const { breaker, changes, fail, advance } = breakerAt(3, 1000);
    fail(3);
    advance(1000);
    assert.equal(breaker.allow(), true, 'the probe');
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.allow(), false, 'no second call while the probe is out');
    assert.deepEqual(changes, ['closed→open', 'open→half-open']);
  });

  it("closes on the probe's success: every call goes through again", () => {
    const { breaker, changes, fail, advance } = breakerAt(3, 1000);
    fail(3);
    advance(1000);
    breaker.allow();
    breaker.success();
    assert.equal(breaker.state, 'closed');
    assert.ok(breaker.allow() && breaker.allow());
    assert.deepEqual(changes, ['closed→open', 'open→half-open', 'half-open→closed']);
    fail(2);
    assert.equal(breaker.state, 'closed', 'the count started again from zero');
  });

  it("reopens on the probe's failure, for a whole new cooldown from that moment", () => {
    const { breaker, changes, fail, advance } = breakerAt(5, 1000);
    fail(5);
    advance(1500);
    assert.ok(breaker.allow());
    breaker.failure();
    assert.equal(breaker.state, 'open', 'one failed probe is enough, whatever the threshold');
    advance(999);
    assert.equal(breaker.allow(), false);
    advance(1);
    assert.equal(breaker.allow(), true, 'the next probe');
    assert.deepEqual(changes, ['closed→open', 'open→half-open', 'half-open→open', 'open→half-open']);
  });

  it('a threshold of 1 opens on the first failure', () => {
    const { breaker, fail } = breakerAt(1);
    fail(1);
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.allow(), false);
  });

  it('reports no change when a state is entered again', () => {
    const { breaker, changes } = breakerAt();
    breaker.success();
    breaker.success();
    assert.deepEqual(changes, []);
  });
});
