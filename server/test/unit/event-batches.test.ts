import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumeMessage } from 'amqplib';
import { EVENT_BATCH, eventMessages, eventsOf } from '../../src/queue/event-batches.js';

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

  it('a delivery gives back every event of its batch, or the one event of a message of the old form', () => {
    const [m] = eventMessages([event(1, 'task.running'), event(2, 'task.running')]);
    const batch = {
      content: Buffer.from(m?.body ?? ''),
      fields: { routingKey: 'task.running' },
      properties: { type: EVENT_BATCH },
    } as unknown as ConsumeMessage;
    assert.deepEqual(eventsOf(batch), [event(1, 'task.running'), event(2, 'task.running')]);
    const single = {
      content: Buffer.from('{"id":"a"}'),
      fields: { routingKey: 'profile.created' },
      properties: { type: 'profile.created', messageId: '9' },
    } as unknown as ConsumeMessage;
    assert.deepEqual(eventsOf(single), [{ routingKey: 'profile.created', seq: 9, payload: { id: 'a' } }]);
  });

  it('leaves out entries a stream could not number or route', () => {
    const junk = {
      content: Buffer.from(
        JSON.stringify([
          null,
          7,
          { routingKey: 'x' },
          { seq: 3 },
          { routingKey: 'x', seq: 'y' },
          event(4, 'x'),
        ]),
      ),
      fields: { routingKey: 'x' },
      properties: { type: EVENT_BATCH },
    } as unknown as ConsumeMessage;
    assert.deepEqual(eventsOf(junk), [event(4, 'x')]);
    const unnumbered = {
      content: Buffer.from('{}'),
      fields: { routingKey: 'profile.created' },
      properties: { type: 'profile.created' },
    } as unknown as ConsumeMessage;
    assert.deepEqual(eventsOf(unnumbered), []);
  });
});
