// Traces across processes, as production runs them: the server and the worker started with the
// tracing bootstrap (`node --import ./dist/telemetry/tracing.js dist/cmd/<entry>.js`) against real
// PostgreSQL, Redis and RabbitMQ, exporting OTLP/JSON to a receiver in this test. One trace runs
// from the request that submits a task to the worker's outcome, a profile update's reaches the
// relay's publish, a task delayed for hours links to its submitter, no attribute carries an email
// or a query string; with tracing off the SDK is never loaded and nothing is sent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { eventually } from '../kit/eventually.js';
import { bearer, testProcessEnv } from '../kit/identity.js';
import { type OtlpReceiver, SPAN_KIND, startOtlpReceiver } from '../kit/otlp-receiver.js';
import {
  createTestDatabase,
  dropQueueNamespace,
  QUEUE_URI,
  REDIS_ADDRESS,
  servicesUnavailable,
  type TestDatabase,
  uniqueNamespace,
} from '../kit/services.js';
import {
  arrives,
  buildDist,
  byId,
  isDb,
  newTraceparent,
  type Proc,
  startTraced,
  statementOf,
  writeProbe,
} from '../kit/traced-process.js';

const skip = await servicesUnavailable('postgres', 'redis', 'rabbitmq');

describe('traces across the server and the worker (OTLP to a receiver)', { skip }, () => {
  let receiver: OtlpReceiver;
  let db: TestDatabase;
  let namespace: string;
  let server: Proc;
  let worker: Proc;
  let api: string;
  let probe: string;
  const emails: string[] = [];

  before(async () => {
    buildDist();
    probe = writeProbe();
    receiver = await startOtlpReceiver();
    db = await createTestDatabase('tracing');
    namespace = uniqueNamespace('tracing');
    const env = {
      ...(await testProcessEnv()),
      DB_URI: db.uri,
      REDIS_ADDRESS,
      CACHE_KEY_PREFIX: `test:tracing:${process.pid}:{pc}:`,
      QUEUE_URI,
      QUEUE_NAMESPACE: namespace,
      TASK_POLL_INTERVAL: '100ms',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    server = await startTraced(
      'server',
      { ...env, SERVER_PORT: '0', OTEL_SERVICE_NAME: 'test-server' },
      probe,
    );
    worker = await startTraced(
      'worker',
      { ...env, WORKER_PORT: '0', DB_MIGRATE_ON_START: 'false', OTEL_SERVICE_NAME: 'test-worker' },
      probe,
    );
    api = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await Promise.all([server?.stop(), worker?.stop()]);
    await receiver?.close();
    await db?.drop();
    if (namespace) await dropQueueNamespace(namespace).catch(() => {});
  });

  const call = async (
    method: string,
    path: string,
    opts: { traceparent?: string; as?: string; body?: unknown } = {},
  ) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...(opts.traceparent ? { traceparent: opts.traceparent } : {}),
        ...(opts.as ? await bearer(opts.as, { admin: opts.as.startsWith('admin') }) : {}),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json().catch(() => undefined)) as Record<string, unknown>,
    };
  };

  it('the bootstrap started the SDK in both processes', () => {
    for (const p of [server, worker]) {
      assert.match(p.output(), /"msg":"tracing on"/);
      assert.match(p.output(), /\[probe\] sdk-node loaded/);
    }
  });

  it("one trace runs from the request that submits a task to the worker's outcome", async () => {
    const tp = newTraceparent();
    const submitted = await call('POST', '/api/v1/tasks/delayed', {
      traceparent: tp.header,
      as: 'admin@example.com',
      body: { type: 'echo', payload: { n: 1 } },
    });
    assert.equal(submitted.status, 202);
    const taskId = String(submitted.json.id);
    const outcome = await arrives('the attempt span arrives', () =>
      receiver.spans.find((s) => s.attributes['task.id'] === taskId && s.attributes['task.outcome']),
    );
    assert.equal(outcome.traceId, tp.traceId, 'the worker continued the submitting request');
    assert.equal(outcome.attributes['task.attempt'], 1);
    assert.equal(outcome.attributes['task.outcome'], 'succeeded');
    await sleep(500); // the rest of the batch
    const spans = receiver.trace(tp.traceId);
    const ids = byId(spans);
    const root = spans.find((s) => s.kind === SPAN_KIND.server && s.service === 'test-server');
    assert.ok(root, 'the server span');
    assert.equal(root.parentSpanId, tp.spanId, "a child of the caller's span");
    const insert = spans.find((s) => isDb(s, 'postgresql') && /INSERT INTO tasks/.test(statementOf(s)));
    assert.equal(insert?.service, 'test-server', 'the insert, in the request');
    const consumer = ids.get(outcome.parentSpanId ?? '');
    assert.equal(consumer?.kind, SPAN_KIND.consumer, 'the attempt runs in the delivery');
    assert.equal(consumer?.service, 'test-worker');
    const publish = ids.get(consumer?.parentSpanId ?? '');
    assert.equal(publish?.kind, SPAN_KIND.producer, 'the delivery continues the publish');
    assert.equal(
      ids.get(publish?.parentSpanId ?? '')?.service,
      'test-server',
      "published in the submitter's context",
    );
    const below = spans.filter((s) => s.parentSpanId === outcome.spanId && isDb(s, 'postgresql'));
    assert.ok(
      below.some((s) => /UPDATE tasks SET status = 'succeeded'/.test(statementOf(s))),
      'the outcome recorded',
    );
  });

  it("a profile update's trace goes through the cache and the database to the relay's publish", async () => {
    const email = `trace-${randomBytes(4).toString('hex')}@example.com`;
    emails.push(email);
    const created = await call('POST', '/api/v1/profiles', { as: email, body: { name: 'Ada', email } });
    assert.equal(created.status, 201);
    const tp = newTraceparent();
    const patched = await call('PATCH', `/api/v1/profiles/${created.json.id}`, {
      traceparent: tp.header,
      as: email,
      body: { bio: 'traced' },
    });
    assert.equal(patched.status, 200);
    const relayed = await arrives('the relay publishes the event in the trace', () =>
      receiver.trace(tp.traceId).find((s) => s.kind === SPAN_KIND.producer && s.service === 'test-worker'),
    );
    assert.match(relayed.name, new RegExp(`${namespace}\\.events`));
    const spans = receiver.trace(tp.traceId);
    assert.equal(
      byId(spans).get(relayed.parentSpanId ?? '')?.service,
      'test-server',
      "in the update's context",
    );
    assert.ok(
      spans.some((s) => isDb(s, 'redis')),
      'the cache',
    );
    assert.ok(
      spans.some((s) => isDb(s, 'postgresql') && /UPDATE profiles/.test(statementOf(s))),
      'the database',
    );
    // The server's log lines of that request carry the trace (written in batches: waited for).
    const line = new RegExp(`"trace_id":"${tp.traceId}","span_id":"[0-9a-f]{16}"`);
    await eventually("the request's log line carries its trace", () => line.test(server.output()));
  });

  it('a task delayed for hours starts a trace of its own, linked to its submitter', async () => {
    const tp = newTraceparent();
    const submitted = await call('POST', '/api/v1/tasks/delayed', {
      traceparent: tp.header,
      as: 'admin@example.com',
      body: { type: 'echo', payload: {}, delay: '1h' },
    });
    assert.equal(submitted.status, 202);
    const taskId = String(submitted.json.id);
    // Two hours later, as far as the scheduler can tell.
    const client = new pg.Client({ connectionString: db.uri });
    await client.connect();
    await client.query(
      `UPDATE tasks SET run_at = now(), created_at = now() - interval '2 hours' WHERE id = $1`,
      [taskId],
    );
    await client.end();
    const outcome = await arrives('the delayed attempt span', () =>
      receiver.spans.find((s) => s.attributes['task.id'] === taskId && s.attributes['task.outcome']),
    );
    assert.notEqual(outcome.traceId, tp.traceId, 'not a child of the submission');
    const schedule = await arrives('the schedule span', () =>
      receiver.trace(outcome.traceId).find((s) => s.name === 'schedule echo'),
    );
    assert.equal(schedule.parentSpanId, undefined, 'a root');
    assert.ok(
      schedule.links.some((l) => l.traceId === tp.traceId),
      'linked to the submitting trace',
    );
  });

  it('no span carries an email address or a query string', async () => {
    const email = emails[0] ?? 'nobody@example.com';
    const tp = newTraceparent();
    const found = await call('GET', `/api/v1/profiles?q=${encodeURIComponent(email)}&limit=5`, {
      traceparent: tp.header,
      as: 'admin@example.com',
    });
    assert.equal(found.status, 200);
    const serverSpan = await arrives('the search span', () =>
      receiver.trace(tp.traceId).find((s) => s.kind === SPAN_KIND.server),
    );
    assert.equal(serverSpan.attributes['url.path'], '/api/v1/profiles');
    await sleep(300);
    for (const s of receiver.spans) {
      const text = JSON.stringify([s.name, s.attributes, s.events, s.statusMessage]);
      for (const e of [...emails, 'admin@example.com'])
        assert.ok(!text.includes(e), `${s.service} span "${s.name}" names ${e}: ${text}`);
      assert.ok(!('url.query' in s.attributes), `${s.name} keeps url.query`);
      for (const key of ['url.full', 'url.path', 'http.url', 'http.target'])
        assert.ok(!String(s.attributes[key] ?? '').includes('?'), `${s.name} ${key} keeps its query`);
    }
  });

  it("an OpenMetrics scrape shows a request's trace id as the latency exemplar", async () => {
    const tp = newTraceparent();
    await call('GET', '/api/v1/profiles?limit=1', { traceparent: tp.header });
    const scrape = await fetch(`${api}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    assert.match(String(scrape.headers.get('content-type')), /^application\/openmetrics-text/);
    const body = await scrape.text();
    assert.match(
      body,
      new RegExp(`http_request_duration_seconds_bucket\\{[^}]*\\} \\d+ # \\{trace_id="${tp.traceId}"\\}`),
    );
    assert.match(body, /# EOF\n$/);
    const plain = await (await fetch(`${api}/metrics`)).text();
    assert.ok(!plain.includes('# {'), 'no exemplars in the Prometheus text format');
    assert.match(plain, /^tasks_submitted_total\{/m, 'counters keep their _total there');
  });
  it('a request has one server span; probes and scrapes, query string or not, start no trace', async () => {
    const tp = newTraceparent();
    await call('GET', '/api/v1/profiles?limit=1', { traceparent: tp.header });
    const quiet = newTraceparent();
    for (const path of ['/health', '/health/ready', '/health/ready?verbose=1', '/metrics'])
      await call('GET', path, { traceparent: quiet.header });
    await arrives('the list span', () => receiver.trace(tp.traceId).find((s) => s.kind === SPAN_KIND.server));
    await sleep(500); // the rest of the batch
    const servers = receiver.trace(tp.traceId).filter((s) => s.kind === SPAN_KIND.server);
    assert.deepEqual(
      servers.map((s) => s.attributes['http.route']),
      ['/api/v1/profiles'],
    );
    assert.deepEqual(receiver.trace(quiet.traceId), []);
  });
});

describe('with tracing off', { skip }, () => {
  let db: TestDatabase;
  let receiver: OtlpReceiver;
  let probe: string;
  before(async () => {
    buildDist();
    probe = writeProbe();
    receiver = await startOtlpReceiver();
    db = await createTestDatabase('tracing_off');
  });
  after(async () => {
    await receiver?.close();
    await db?.drop();
  });

  const cases: [string, () => Record<string, string>][] = [
    ['no exporter is configured', () => ({})],
    [
      'OTEL_SDK_DISABLED=true',
      () => ({
        OTEL_SDK_DISABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    ],
  ];
  for (const [why, otel] of cases) {
    it(`${why}: the SDK is never loaded and nothing is sent`, async () => {
      const server = await startTraced(
        'server',
        {
          ...(await testProcessEnv()),
          DB_URI: db.uri,
          SERVER_PORT: '0',
          OTEL_BSP_SCHEDULE_DELAY: '50',
          ...otel(),
        },
        probe,
      );
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/profiles`, {
          headers: { traceparent: newTraceparent().header },
        });
        assert.equal(res.status, 200);
        await sleep(500);
        assert.match(server.output(), /"msg":"tracing off"/);
        assert.doesNotMatch(server.output(), /\[probe\] sdk-node loaded/);
        assert.doesNotMatch(server.output(), /"trace_id"/, 'no trace ids in the logs');
      } finally {
        await server.stop();
      }
      assert.deepEqual(receiver.requests, [], 'the receiver got nothing');
    });
  }
});
