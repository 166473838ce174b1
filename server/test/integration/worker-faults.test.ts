// Workers in this process on real RabbitMQ and PostgreSQL, with the broker cut and restored, many
// tasks on two workers, a handler that always fails, and events on the topic exchange.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { composeWorker } from '../../src/compose.js';
import { createAmqpTransport } from '../../src/queue/amqp-transport.js';
import type { Task } from '../../src/repository/tasks.js';
import type { TaskType } from '../../src/tasks/task-type.js';
import type { Worker } from '../../src/worker/runner.js';
import { suiteApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { tcpProxy } from '../kit/proxy.js';
import { openTestPostgres, QUEUE_URI, servicesUnavailable, suiteNamespaces } from '../kit/services.js';
import { alwaysFails, insertAlwaysFails } from '../kit/task-types.js';
import { allFinished, submitTask, taskRows } from '../kit/tasks.js';

const skip = await servicesUnavailable('postgres', 'rabbitmq');
const silent = { info() {}, warn() {}, error() {} };

/** The real broker behind a proxy the test can cut and restore. */
function brokerProxy() {
  const target = new URL(QUEUE_URI);
  const p = tcpProxy(target.hostname, Number(target.port || 5672));
  return {
    async up() {
      const uri = new URL(QUEUE_URI);
      uri.hostname = '127.0.0.1';
      uri.port = String(await p.up());
      return uri.toString();
    },
    down: p.down,
  };
}

/** A channel on the real broker for the test to inspect queues with, closed after `fn`. */
async function withChannel<T>(fn: (ch: amqp.Channel) => Promise<T>): Promise<T> {
  const conn = await amqp.connect(QUEUE_URI);
  try {
    const ch = await conn.createChannel();
    const result = await fn(ch);
    await ch.close();
    return result;
  } finally {
    await conn.close();
  }
}

describe('tasks over real RabbitMQ and PostgreSQL: faults', { skip }, () => {
  const workers: Worker[] = [];
  const closers: (() => Promise<void>)[] = [];
  const fresh = suiteNamespaces();
  const t = suiteApp({
    testDatabase: (observe) => openTestPostgres('faults', observe),
    env: { TASK_POLL_INTERVAL: '50ms', TASK_LEASE: '3s' },
  });
  // Workers share the test database: one test's workers must be gone before the next test starts,
  // or their schedulers would hand its tasks to their own namespace.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop().catch(() => {})));
    // Last opened, first closed: transports before the proxies they talk through.
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  });

  const submit = (body: Record<string, unknown>) => submitTask(t, body);
  const inProcessWorker = async (namespace: string, uri = QUEUE_URI) => {
    const transport = createAmqpTransport({ uri, namespace, logger: silent });
    closers.push(() => transport.close());
    const worker = composeWorker(t.container, transport);
    workers.push(worker);
    await transport.connectedWithin(5000);
    await worker.start();
    return { worker, transport };
  };

  it('(a) broker down while 100 tasks are submitted: all 202, all succeed once it returns', async () => {
    const proxy = brokerProxy();
    const uri = await proxy.up();
    closers.push(() => proxy.down());
    await inProcessWorker(fresh(), uri);
    await proxy.down();
    await sleep(200);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await submit({ type: 'echo', payload: { i } })).id);
    await sleep(1000); // the scheduler tries to publish and keeps them scheduled
    const waiting = await taskRows(t.container.db, ids);
    assert.ok(
      waiting.every((r) => r.status === 'scheduled' || r.status === 'queued'),
      'nothing ran without the broker',
    );
    await proxy.up();
    const done = await allFinished(t.container.db, ids);
    assert.ok(
      done.every((r) => r.status === 'succeeded' && r.attempts === 1),
      JSON.stringify(done.slice(0, 3)),
    );
  });

  it('(c) two workers, 500 echo tasks: each succeeds exactly once', async () => {
    const ns = fresh();
    const a = await inProcessWorker(ns);
    const b = await inProcessWorker(ns);
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) ids.push((await submit({ type: 'echo', payload: { i } })).id);
    const done = await allFinished(t.container.db, ids);
    assert.equal(done.length, 500);
    assert.ok(
      done.every((r) => r.status === 'succeeded' && r.attempts === 1),
      'one attempt each, no duplicates',
    );
    assert.ok(a.worker.inFlight === 0 && b.worker.inFlight === 0);
  });

  it('(e) a handler that always throws: retried with backoff, then failed with its error and dead-lettered', async () => {
    (t.container.taskTypes as Map<string, TaskType>).set(alwaysFails.name, alwaysFails);
    const ns = fresh();
    await inProcessWorker(ns);
    const task = await insertAlwaysFails(t.container.taskRepo, '0190a9f0-0000-7000-8000-0000000dead1');
    const [row] = await allFinished(t.container.db, [task.id], 60_000);
    assert.deepEqual([row?.status, row?.attempts], ['failed', 3]);
    const read = (await t.app.inject({ method: 'GET', url: `/api/v1/tasks/${task.id}` })).json() as Task;
    assert.equal(read.error, 'boom: this handler always fails');
    const dead = await withChannel((ch) =>
      eventually(
        'the message is in the dead-letter queue',
        () => ch.get(`${ns}.tasks.dead`, { noAck: true }),
        {
          intervalMs: 100,
        },
      ),
    );
    assert.ok(dead);
    assert.equal(JSON.parse(dead.content.toString()).id, task.id);
  });

  it('profile events reach the topic exchange with publisher confirms', async () => {
    const ns = fresh();
    await inProcessWorker(ns);
    const got = await withChannel(async (ch) => {
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, `${ns}.events`, 'profile.*');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name: 'On the bus', email: `bus-${ns}@example.com` },
      });
      const id = (created.json() as { id: string }).id;
      await t.app.inject({ method: 'PATCH', url: `/api/v1/profiles/${id}`, payload: { bio: 'x' } });
      const seen: [string, number][] = [];
      return eventually(
        'both events of the profile arrived',
        async () => {
          const msg = await ch.get(queue, { noAck: true });
          if (!msg) return seen;
          // A message carries a run of events of its routing key, in stream order.
          assert.equal(msg.properties.type, 'event-batch');
          const events = JSON.parse(msg.content.toString()) as {
            routingKey: string;
            seq: number;
            payload: { id: string; version: number };
          }[];
          for (const e of events) {
            assert.equal(e.routingKey, msg.fields.routingKey, 'one routing key per message');
            if (e.payload.id === id) seen.push([e.routingKey, e.payload.version]);
          }
          return seen;
        },
        { until: (s) => s.length >= 2 },
      );
    });
    assert.deepEqual(got, [
      ['profile.created', 1],
      ['profile.updated', 2],
    ]);
  });
});
