import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { composeWorker } from '../../src/compose.js';
import { createAmqpTransport } from '../../src/queue/amqp-transport.js';
import type { Task } from '../../src/repository/tasks.js';
import type { TaskType } from '../../src/tasks/task-type.js';
import type { Worker } from '../../src/worker/runner.js';
import { startTestApp, type TestApp } from '../kit/app.js';
import { spawnEntry } from '../kit/process.js';
import { tcpProxy } from '../kit/proxy.js';
import {
  createTestDatabase,
  dropQueueNamespace,
  postgresUnavailable,
  QUEUE_URI,
  rabbitUnavailable,
  type TestDatabase,
} from '../kit/services.js';
import { alwaysFails } from '../kit/task-types.js';

const skip = (await postgresUnavailable()) ?? (await rabbitUnavailable());
const BASE = '/api/v1/tasks';
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

describe('tasks over real RabbitMQ and PostgreSQL: faults', { skip }, () => {
  let db: TestDatabase;
  let t: TestApp;
  const namespaces: string[] = [];
  const workers: Worker[] = [];
  const closers: (() => Promise<void>)[] = [];

  const fresh = () => {
    const ns = `test-${process.pid}-${randomBytes(3).toString('hex')}`;
    namespaces.push(ns);
    return ns;
  };
  before(async () => {
    db = await createTestDatabase('faults');
    t = await startTestApp({ env: { DB_URI: db.uri, TASK_POLL_INTERVAL: '50ms', TASK_LEASE: '3s' } });
  });
  // Workers share the test database: one test's workers must be gone before the next test starts,
  // or their schedulers would hand its tasks to their own namespace.
  const stopAll = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop().catch(() => {})));
    // Last opened, first closed: transports before the proxies they talk through.
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    await t?.close();
    await Promise.all(namespaces.map((ns) => dropQueueNamespace(ns).catch(() => {})));
    await db?.drop();
  });

  const submit = async (body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `${BASE}/delayed`, payload: body });
    assert.equal(res.statusCode, 202, res.body);
    return res.json() as Task;
  };
  const statuses = async (ids: string[]) =>
    t.container.db.query<{ id: string; status: string; attempts: number }>(
      'SELECT id, status, attempts FROM tasks WHERE id = ANY($1::uuid[])',
      [ids],
    );
  const allFinished = async (ids: string[], ms = 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const rows = await statuses(ids);
      if (rows.every((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status))) return rows;
      if (Date.now() > deadline)
        throw new Error(
          `not finished: ${JSON.stringify(rows.filter((r) => r.status !== 'succeeded').slice(0, 5))}`,
        );
      await sleep(100);
    }
  };
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
    const waiting = await statuses(ids);
    assert.ok(
      waiting.every((r) => r.status === 'scheduled' || r.status === 'queued'),
      'nothing ran without the broker',
    );
    await proxy.up();
    const done = await allFinished(ids);
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
    const done = await allFinished(ids);
    assert.equal(done.length, 500);
    assert.ok(
      done.every((r) => r.status === 'succeeded' && r.attempts === 1),
      'one attempt each, no duplicates',
    );
    assert.ok(a.worker.inFlight === 0 && b.worker.inFlight === 0);
  });

  it('(e) a handler that always throws: retried with backoff, then failed with its error and dead-lettered', async () => {
    const failing = alwaysFails;
    (t.container.taskTypes as Map<string, TaskType>).set(failing.name, failing);
    const ns = fresh();
    await inProcessWorker(ns);
    const task = await t.container.taskRepo.insert({
      id: '0190a9f0-0000-7000-8000-0000000dead1',
      type: failing.name,
      payload: {},
      maxAttempts: 3,
      runAt: new Date(),
      now: new Date(),
    });
    const [row] = await allFinished([task.id], 20_000);
    assert.deepEqual([row?.status, row?.attempts], ['failed', 3]);
    const read = (await t.app.inject({ method: 'GET', url: `${BASE}/${task.id}` })).json() as Task;
    assert.equal(read.error, 'boom: this handler always fails');
    const conn = await amqp.connect(QUEUE_URI);
    try {
      const ch = await conn.createChannel();
      let dead: amqp.GetMessage | false = false;
      for (let i = 0; i < 50 && !dead; i++) {
        dead = await ch.get(`${ns}.tasks.dead`, { noAck: true });
        if (!dead) await sleep(100);
      }
      assert.ok(dead, 'the message is in the dead-letter queue');
      assert.equal(JSON.parse(dead.content.toString()).id, task.id);
      await ch.close();
    } finally {
      await conn.close();
    }
  });

  it('profile events reach the topic exchange with publisher confirms', async () => {
    const ns = fresh();
    await inProcessWorker(ns);
    const conn = await amqp.connect(QUEUE_URI);
    try {
      const ch = await conn.createChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, `${ns}.events`, 'profile.*');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/profiles',
        payload: { name: 'On the bus', email: `bus-${ns}@example.com` },
      });
      const id = (created.json() as { id: string }).id;
      await t.app.inject({ method: 'PATCH', url: `/api/v1/profiles/${id}`, payload: { bio: 'x' } });
      const got: [string, number][] = [];
      for (let i = 0; i < 100 && got.length < 2; i++) {
        const msg = await ch.get(queue, { noAck: true });
        if (msg) {
          const body = JSON.parse(msg.content.toString()) as { id: string; version: number };
          if (body.id === id) got.push([msg.fields.routingKey, body.version]);
        } else await sleep(50);
      }
      assert.deepEqual(got, [
        ['profile.created', 1],
        ['profile.updated', 2],
      ]);
      await ch.close();
    } finally {
      await conn.close();
    }
  });

  describe('worker processes', () => {
    const spawnWorker = async (namespace: string, extra: Record<string, string> = {}) => {
      const w = spawnEntry('worker', {
        DB_URI: db.uri,
        QUEUE_URI,
        QUEUE_NAMESPACE: namespace,
        WORKER_PORT: '0',
        TASK_LEASE: '2s',
        TASK_POLL_INTERVAL: '100ms',
        DB_MIGRATE_ON_START: 'false',
        ...extra,
      });
      closers.push(async () => {
        w.proc.kill('SIGKILL');
        await w.exit;
      });
      for (let i = 0; i < 300 && !/"msg":"worker started"/.test(w.output()); i++) await sleep(50);
      assert.match(w.output(), /worker started/, w.output());
      return w;
    };
    const until = async (id: string, status: string, ms = 30_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const [row] = await statuses([id]);
        if (row?.status === status) return row;
        if (Date.now() > deadline)
          throw new Error(`task ${id} never became ${status}: ${JSON.stringify(row)}`);
        await sleep(50);
      }
    };

    it('(b) a worker SIGKILLed mid-sleep: the task still succeeds, once', async () => {
      const ns = fresh();
      const first = await spawnWorker(ns);
      const task = await submit({ type: 'sleep', payload: { seconds: 2 } });
      await until(task.id, 'running');
      first.proc.kill('SIGKILL');
      await first.exit;
      await spawnWorker(ns);
      const done = await until(task.id, 'succeeded', 30_000);
      assert.equal(done.attempts, 2, 'the killed attempt, then one that finished');
      const read = (await t.app.inject({ method: 'GET', url: `${BASE}/${task.id}` })).json() as Task;
      assert.deepEqual(read.result, { slept_seconds: 2 });
    });

    it('(d) SIGTERM to a busy worker: the tasks in hand finish, none is lost, exit 0', async () => {
      const ns = fresh();
      const busy = await spawnWorker(ns, { WORKER_CONCURRENCY: '4' });
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await submit({ type: 'sleep', payload: { seconds: 1 } })).id);
      for (let i = 0; i < 100; i++) {
        if ((await statuses(ids)).filter((r) => r.status === 'running').length >= 4) break;
        await sleep(50);
      }
      const running = (await statuses(ids)).filter((r) => r.status === 'running').map((r) => r.id);
      assert.ok(running.length >= 1);
      busy.proc.kill('SIGTERM');
      const { code } = await busy.exit;
      assert.equal(code, 0, busy.output());
      const afterStop = await statuses(running);
      assert.ok(
        afterStop.every((r) => r.status === 'succeeded'),
        `in-flight tasks finished: ${JSON.stringify(afterStop)}`,
      );
      await spawnWorker(ns);
      const done = await allFinished(ids);
      assert.ok(
        done.every((r) => r.status === 'succeeded' && r.attempts === 1),
        JSON.stringify(done),
      );
    });
  });
});
