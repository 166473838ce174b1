import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, nextCursor, toApiError } from '../lib/api';
import { actionKeys } from '../lib/idempotency';
import { parseMetrics, sum } from '../lib/metrics';

describe('client helpers', () => {
  it('keeps an Idempotency-Key while the same action is retried unanswered, a new one otherwise', () => {
    let n = 0;
    const keys = actionKeys(() => `k${++n}`);
    assert.equal(keys.keyFor('a'), 'k1');
    keys.answered(0, 'network');
    assert.equal(keys.keyFor('a'), 'k1', 'after a lost answer the retry is the same action');
    keys.answered(503, 'unavailable');
    keys.answered(409, 'idempotency_key_in_use');
    assert.equal(keys.keyFor('a'), 'k1', 'nor do a 5xx or a key in use settle it');
    assert.equal(keys.keyFor('b'), 'k2', 'another action (other fields) is a new key');
    keys.answered(201);
    assert.equal(keys.keyFor('b'), 'k3', 'once answered, the next click is a new action');
    keys.answered(409, 'email_taken');
    assert.equal(keys.keyFor('b'), 'k4', 'an answered refusal too');
  });

  it('reads the next cursor from a Link header, and nothing when there is none', () => {
    const headers = new Headers({ link: '</api/v1/profiles?limit=20&cursor=abc%3D%3D&q=ada>; rel="next"' });
    assert.equal(nextCursor(headers), 'abc==');
    assert.equal(nextCursor(new Headers()), undefined);
    assert.equal(nextCursor(new Headers({ link: '</x>; rel="prev"' })), undefined);
  });

  it('turns a problem+json answer into field errors, and a non-JSON one into its status', async () => {
    const problem = new Response(
      JSON.stringify({
        status: 400,
        code: 'validation_failed',
        detail: 'email: must match format "email"',
        request_id: 'r1',
        errors: [
          { field: 'email', message: 'must match format "email"' },
          { field: 'email', message: 'second message' },
        ],
      }),
      { status: 400 },
    );
    const err = await toApiError(problem);
    assert.ok(err instanceof ApiError);
    assert.deepEqual([err.status, err.code, err.requestId], [400, 'validation_failed', 'r1']);
    assert.deepEqual(err.byField(), { email: 'must match format "email"' });
    const html = await toApiError(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    assert.deepEqual([html.status, html.code], [502, 'http_error']);
  });

  it('parses Prometheus text: labels, escapes, and sums by label', () => {
    const samples = parseMetrics(
      [
        '# HELP http_request_duration_seconds x',
        'http_request_duration_seconds_count{method="GET",route="/api/v1/profiles",status_code="200"} 7',
        'http_request_duration_seconds_count{method="GET",route="/metrics",status_code="200"} 3',
        'http_request_duration_seconds_count{method="POST",route="/x",status_code="503"} 2',
        'cache_hits_total 40',
        'tasks_queue_depth{state="due"} 1',
        'weird{label="a \\"quoted\\" value"} 1.5e1',
      ].join('\n'),
    );
    assert.equal(
      sum(samples, 'http_request_duration_seconds_count', (l) => l.route !== '/metrics'),
      9,
    );
    assert.equal(
      sum(samples, 'http_request_duration_seconds_count', (l) => l.status_code?.startsWith('5') ?? false),
      2,
    );
    assert.equal(sum(samples, 'cache_hits_total'), 40);
    assert.equal(
      sum(samples, 'tasks_queue_depth', (l) => l.state === 'due'),
      1,
    );
    assert.equal(samples.find((s) => s.name === 'weird')?.value, 15);
  });
});
