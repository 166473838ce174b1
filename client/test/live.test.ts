// The page's event stream without a browser: a stand-in EventSource, and timers the test runs.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLiveHub } from '../lib/live/live-hub';
import { createLiveStream, type Source } from '../lib/live/live-stream';

type Listener = (event: MessageEvent<string>) => void;

class FakeSource implements Source {
  readonly listeners = new Map<string, Listener[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data = '', lastEventId = '') {
    for (const l of this.listeners.get(type) ?? []) l({ data, lastEventId } as MessageEvent<string>);
  }
}

/** A stream on stand-ins: its sources, its pending timers (run by hand), and what it reported. */
function harness() {
  const sources: FakeSource[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const events: [string, unknown, string][] = [];
  let resyncs = 0;
  let clock = 0;
  const stream = createLiveStream({
    url: '/api/v1/events',
    names: ['profile.updated'],
    connect: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    onEvent: (...e) => events.push(e),
    onResync: () => {
      resyncs += 1;
    },
    timers: { set: (run, ms) => timers.push({ run, ms }), clear: () => {} },
    now: () => clock,
    random: () => 1,
  });
  const last = () => sources.at(-1) as FakeSource;
  /** The reconnection's pause, after running it. */
  const wait = () => {
    const t = timers.shift();
    assert.ok(t, 'a reconnection is pending');
    t.run();
    return t.ms;
  };
  const tick = (ms: number) => {
    clock += ms;
  };
  return { stream, sources, events, last, wait, tick, resyncs: () => resyncs };
}

describe('the event stream', () => {
  it('passes named events on with their data and id; a fresh start asks for a resync', () => {
    const h = harness();
    h.stream.start();
    h.stream.start();
    assert.equal(h.sources.length, 1, 'one connection');
    h.last().emit('open');
    assert.equal(h.resyncs(), 1);
    h.last().emit('profile.updated', '{"id":"p1","version":2}', '41');
    h.last().emit('profile.updated', 'not json', '42');
    assert.deepEqual(h.events, [['profile.updated', { id: 'p1', version: 2 }, '41']]);
    assert.equal(h.stream.lastId, '42', 'even an event it cannot read is not asked for again');
    h.last().emit('reset');
    assert.equal(h.resyncs(), 2, 'reset: the API could not replay what was missed');
  });

  it('reconnects at once after reauth, from the last event, and a resumed stream needs no resync', () => {
    const h = harness();
    h.stream.start();
    h.last().emit('open');
    h.last().emit('profile.updated', '{}', '7');
    h.tick(20_000);
    const first = h.last();
    first.emit('reauth');
    assert.equal(first.closed, true);
    assert.equal(h.wait(), 0);
    assert.equal(h.last().url, '/api/v1/events?last_event_id=7');
    h.last().emit('open');
    assert.equal(h.resyncs(), 1, 'only the first, fresh, start');
    first.emit('profile.updated', '{}', '8');
    assert.equal(h.events.length, 1, 'a closed connection is not heard any more');
  });

  it('backs off while it keeps failing, up to 30 s, and starts over after a connection that lasted', () => {
    const h = harness();
    h.stream.start();
    const pauses: number[] = [];
    for (let i = 0; i < 7; i++) {
      h.last().emit('error');
      pauses.push(h.wait());
    }
    assert.deepEqual(pauses, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    h.last().emit('open');
    h.tick(5_000);
    h.last().emit('error');
    assert.equal(h.wait(), 1_000);
    // A reauth on a connection that did not last (a token already spent) waits too.
    h.last().emit('open');
    h.last().emit('reauth');
    assert.equal(h.wait(), 2_000);
  });

  it('stop closes the connection and reconnects no more', () => {
    const h = harness();
    h.stream.start();
    h.stream.stop();
    assert.equal(h.last().closed, true);
    h.last().emit('error');
    assert.equal(h.sources.length, 1);
  });
});

describe('the page’s hub', () => {
  it('opens one stream for all listeners, gives each the events it named, and closes after the last', async () => {
    const sources: FakeSource[] = [];
    const hub = createLiveHub((url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    }, 20);
    const heard: string[] = [];
    const logged = mock.method(console, 'error', () => {});
    const a = hub.listen(['profile.updated'], (e) => heard.push(`a:${e.name}`));
    const b = hub.listen(
      ['task.running'],
      (e) => {
        heard.push(`b:${e.name}`);
        throw new Error('a view that fails');
      },
      () => heard.push('b:resync'),
    );
    assert.equal(sources.length, 1);
    const source = sources[0] as FakeSource;
    source.emit('open');
    source.emit('task.running', '{}', '1');
    source.emit('profile.updated', '{}', '2');
    assert.deepEqual(heard, ['b:resync', 'b:task.running', 'a:profile.updated']);
    assert.equal(logged.mock.callCount(), 1, "one view's failure is logged, the others still hear");
    logged.mock.restore();
    a();
    b();
    assert.equal(source.closed, false, 'kept a while, for the next page');
    await sleep(40);
    assert.equal(source.closed, true);
    hub.dispose();
  });
});
