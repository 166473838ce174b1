// The asynchronous half of a trace, in process (PGlite, the in-process transport): a task's
// attempts and a profile change's event continue the context their rows were written in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { uniqueEmail } from '../../kit/app.js';
import { eventually } from '../../kit/eventually.js';
import { imageForm, makeImage } from '../../kit/images.js';
import { openTestPglite } from '../../kit/services.js';
import { insertAlwaysFails } from '../../kit/task-types.js';
import { inMemoryTracing, parentOf } from '../../kit/tracing.js';
import { tasksHarness } from '../tasks/harness.js';

const tracing = inMemoryTracing();

describe('task and event traces on the in-process transport', () => {
  const h = tasksHarness(openTestPglite);
  // Nested, so the worker stops before the app (and its database) closes.
  describe('with a worker', () => {
    h.useWorker();

    it("retries are sibling deliveries in the submitter's trace, each attempt numbered", async () => {
      let traceId = '';
      let submitSpanId = '';
      const id = await tracing.tracer.startActiveSpan('submit', async (span) => {
        ({ traceId, spanId: submitSpanId } = span.spanContext());
        // Inside the submitting span.
        const task = await insertAlwaysFails(h.t.container.taskRepo);
        span.end();
        return task.id;
      });
      const task = await h.finished(id);
      assert.equal(task.status, 'failed');
      const attempts = await eventually(
        'three attempt spans',
        () =>
          tracing
            .trace(traceId)
            .filter((s) => s.attributes['task.id'] === id && s.attributes['task.outcome']),
        { until: (a) => a.length === 3 },
      );
      attempts.sort((a, b) => Number(a.attributes['task.attempt']) - Number(b.attributes['task.attempt']));
      assert.deepEqual(
        attempts.map((s) => [s.attributes['task.attempt'], s.attributes['task.outcome']]),
        [
          [1, 'retried'],
          [2, 'retried'],
          [3, 'failed'],
        ],
      );
      const spans = new Map(tracing.trace(traceId).map((s) => [s.spanContext().spanId, s]));
      for (const attempt of attempts) {
        const delivery = spans.get(parentOf(attempt) ?? '');
        assert.equal(delivery?.kind, SpanKind.CONSUMER, 'an attempt runs inside its delivery');
        const publish = spans.get(parentOf(delivery as never) ?? '');
        assert.equal(publish?.kind, SpanKind.PRODUCER, 'a delivery continues its publish');
        assert.equal(parentOf(publish as never), submitSpanId, 'every publish is a child of the submission');
      }
      assert.equal(new Set(attempts.map(parentOf)).size, 3, 'one delivery each');
    });

    it("a profile change's event is published in the change's context", async () => {
      const created = await h.t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name: 'Ada', email: uniqueEmail('trace') },
      });
      const { id } = created.json() as { id: string };
      let traceId = '';
      await tracing.tracer.startActiveSpan('update', async (span) => {
        traceId = span.spanContext().traceId;
        const res = await h.t.app.inject({
          method: 'PATCH',
          url: `/api/v1/profiles/${id}`,
          payload: { bio: 'x' },
        });
        assert.equal(res.statusCode, 200);
        span.end();
      });
      const publish = await eventually('the relay publishes in the trace', () =>
        tracing.trace(traceId).find((s) => s.kind === SpanKind.PRODUCER && s.name === 'publish events'),
      );
      assert.ok(publish);
    });

    it("deleting an image schedules its objects' deletion in the deleting request's trace", async () => {
      const created = await h.t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name: 'Ada', email: uniqueEmail('trace-media') },
      });
      const { id } = created.json() as { id: string };
      const form = imageForm(await makeImage.png(64, 48, 3), 'dot.png', 'image/png');
      const uploaded = await h.t.app.inject({
        method: 'POST',
        url: `/api/v1/profiles/${id}/images`,
        headers: { 'content-type': form.contentType },
        payload: form.body,
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const image = uploaded.json() as { id: string };
      let traceId = '';
      await tracing.tracer.startActiveSpan('delete image', async (span) => {
        traceId = span.spanContext().traceId;
        const res = await h.t.app.inject({
          method: 'DELETE',
          url: `/api/v1/profiles/${id}/images/${image.id}`,
        });
        assert.equal(res.statusCode, 204, res.body);
        span.end();
      });
      const attempt = await eventually('the media.delete attempt in the trace', () =>
        tracing.trace(traceId).find((s) => s.name === 'task media.delete' && s.attributes['task.outcome']),
      );
      assert.equal(attempt?.attributes['task.outcome'], 'succeeded');
    });
  });
});
