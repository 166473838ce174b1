import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, type RetryPolicy, STANDARD_RETRY } from '../../src/tasks/task-type.js';

const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
/** The delay at the top of the jitter range: the ceiling itself. */
const ceiling = (p: RetryPolicy, attempt: number) => backoffMs(p, attempt, () => 1);

describe('task backoff (exponential, full jitter)', () => {
  it('doubles its ceiling with each attempt, from the base delay', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => ceiling(policy, a)),
      [100, 200, 400, 800],
    );
  });

  it('never waits longer than the maximum delay, however many attempts', () => {
    assert.equal(ceiling(policy, 5), 1000);
    assert.equal(ceiling(policy, 60), 1000);
    assert.equal(ceiling(STANDARD_RETRY, 1_000), STANDARD_RETRY.maxDelayMs, 'no overflow to Infinity or NaN');
  });

  it('draws uniformly between zero and the ceiling, rounded to whole milliseconds', () => {
    assert.equal(
      backoffMs(policy, 3, () => 0),
      0,
    );
    assert.equal(
      backoffMs(policy, 3, () => 0.5),
      200,
    );
    assert.equal(
      backoffMs(policy, 3, () => 0.123456),
      49,
    );
  });

  it('with the real random source stays within [0, ceiling] and spreads out', () => {
    const delays = Array.from({ length: 500 }, () => backoffMs(policy, 4));
    assert.ok(
      delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 800),
      'within range',
    );
    assert.ok(new Set(delays).size > 50, 'jittered, not one fixed delay');
  });

  it('the standard policy starts at half a second and caps at a minute', () => {
    assert.equal(ceiling(STANDARD_RETRY, 1), 500);
    assert.equal(ceiling(STANDARD_RETRY, 5), 8_000);
    assert.equal(ceiling(STANDARD_RETRY, 9), 60_000);
  });
});
