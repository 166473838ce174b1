import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventMessages } from '../../src/queue/event-batches.js';

const event = (seq: number, routingKey: string, payload: unknown = { seq }) => ({ seq, routingKey, payload });
const unpack = (body: string) => (JSON.parse(body) as { seq: number }[]).map((e) => e.seq);

describe('eventMessages', () => {
  it('sends each run of one routing key as one message, never reordering the runs', () => {
    const messages = eventMessages([
      event(1, 'task.scheduled'),
      event(2, 'task.scheduled'),
      event(3, 'profile.updated'),
      event(4, 'task.scheduled'),
      event(5, 'task.scheduled'),
    ]);
    assert.deepEqual(
      messages.map((m) => [m.routingKey, unpack(m.body)]),
      [
        ['task.scheduled', [1, 2]],
        ['profile.updated', [3]],
        ['task.scheduled', [4, 5]],
      ],
    );
  });

  it('keeps each message under 1 MiB where it can, and sends a larger event alone', () => {
    const big = 'x'.repeat(400_000);
    const huge = 'y'.repeat(1_500_000);
    const messages = eventMessages([
      event(1, 'k', big),
      event(2, 'k', big),
      event(3, 'k', big),
      event(4, 'k', huge),
      event(5, 'k', big),
    ]);
    assert.deepEqual(
      messages.map((m) => unpack(m.body)),
      [[1, 2], [3], [4], [5]],
    );
    for (const m of messages) if (!m.body.includes('y')) assert.ok(m.body.length <= 1 << 20);
  });

  it('carries each event whole: routing key, number and payload', () => {
    const [m] = eventMessages([event(7, 'profile.created', { id: 'a', version: 1 })]);
    assert.deepEqual(JSON.parse(m?.body ?? ''), [
      { routingKey: 'profile.created', seq: 7, payload: { id: 'a', version: 1 } },
    ]);
    assert.deepEqual(eventMessages([]), []);
  });
});
