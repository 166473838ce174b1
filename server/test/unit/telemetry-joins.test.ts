// Logs, metrics and exported spans as tracing leaves them: ids on log lines, exemplars on the
// latency histogram under OpenMetrics only, no query strings or emails on the way out.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { wantsOpenMetrics } from '../../src/telemetry/exposition.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { redactSpan } from '../../src/telemetry/redact.js';
import { logTraceFields, mergeTraceFields } from '../../src/telemetry/trace-context.js';
import { inMemoryTracing } from '../kit/tracing.js';

const tracing = inMemoryTracing();

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ mixin: logTraceFields, mixinMergeStrategy: mergeTraceFields }, stream);
  return { logger, lines };
}

describe('telemetry joins traces', () => {
  it('a log line inside a span carries its trace and span ids; outside one, neither', () => {
    const { logger, lines } = capture();
    logger.info({ a: 1 }, 'outside');
    const ids = tracing.tracer.startActiveSpan('work', (span) => {
      logger.info({ b: 2 }, 'inside');
      span.end();
      return span.spanContext();
    });
    assert.equal(lines[0]?.trace_id, undefined);
    assert.equal(lines[0]?.a, 1);
    assert.deepEqual([lines[1]?.trace_id, lines[1]?.span_id, lines[1]?.b], [ids.traceId, ids.spanId, 2]);
  });

  it('exemplars only in OpenMetrics, and counters keep _total in the Prometheus text after one', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.tasks.submitted.inc({ type: 'echo' });
    const exemplarLabels: Record<string, string> = { trace_id: 'a'.repeat(32) };
    metrics.httpDuration.observe({
      labels: { method: 'GET', route: '/x', status_code: '200' },
      value: 0.02,
      exemplarLabels,
    });
    const om = await metrics.exposition.render(true);
    assert.match(om.contentType, /^application\/openmetrics-text/);
    assert.match(om.body, /_bucket\{[^}]*le="0\.025"[^}]*\} 1 # \{trace_id="a{32}"\} 0\.02/);
    assert.match(om.body, /^tasks_submitted_total\{type="echo"\} 1$/m);
    const text = await metrics.exposition.render(false);
    assert.match(text.contentType, /^text\/plain/);
    assert.ok(!text.body.includes('trace_id'));
    assert.match(text.body, /^# TYPE tasks_submitted_total counter$/m);
  });

  it('negotiates OpenMetrics on the Accept header', () => {
    assert.equal(wantsOpenMetrics(undefined), false);
    assert.equal(wantsOpenMetrics('text/plain'), false);
    assert.equal(
      wantsOpenMetrics('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'),
      true,
    );
    assert.equal(wantsOpenMetrics('application/openmetrics-text;q=0, text/plain'), false);
  });

  it('an exported span keeps no query string and no email address, and everything else', () => {
    const parent = tracing.tracer.startSpan('parent');
    const child = tracing.tracer.startSpan(
      'GET /api/v1/profiles',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'url.path': '/api/v1/profiles?q=ada@example.com',
          'url.query': 'q=ada@example.com',
          'url.full': 'http://s3/bucket/key?X-Amz-Signature=abc',
          'db.query.text': 'SELECT 1',
          'http.response.status_code': 200,
        },
        links: [{ context: parent.spanContext() }],
      },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent('exception', { 'exception.message': 'Key (email)=(ada@example.com) exists' });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'duplicate ada@example.com' });
    child.end();
    parent.end();
    const span = tracing.spans().find((x) => x.name === 'GET /api/v1/profiles') as ReadableSpan;
    const out = redactSpan(span);
    assert.deepEqual(out.attributes, {
      'url.path': '/api/v1/profiles',
      'url.full': 'http://s3/bucket/key',
      'db.query.text': 'SELECT 1',
      'http.response.status_code': 200,
    });
    assert.equal(out.events[0]?.attributes?.['exception.message'], 'Key (email)=([redacted]) exists');
    assert.equal(out.events[0]?.name, 'exception');
    assert.deepEqual(out.events[0]?.time, span.events[0]?.time);
    assert.equal(out.status.message, 'duplicate [redacted]');
    assert.equal(out.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['url.query'], 'q=ada@example.com', 'the recorded span is left alone');
    // Every other field as recorded: what the serializer reads must all be there.
    assert.deepEqual(out.spanContext(), span.spanContext());
    for (const field of [
      'name',
      'kind',
      'parentSpanContext',
      'startTime',
      'endTime',
      'links',
      'duration',
      'ended',
      'resource',
      'instrumentationScope',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
    ] as const)
      assert.deepEqual(out[field], span[field], field);
    assert.equal(out.parentSpanContext?.spanId, parent.spanContext().spanId);
  });
});
