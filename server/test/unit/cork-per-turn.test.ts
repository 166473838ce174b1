import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { corkPerTurn } from '../../src/queue/cork-per-turn.js';

/** A stream recording each write that reaches it, as the number of chunks it carried. */
function recorder() {
  const writes: number[] = [];
  const stream = new Writable({
    write(_chunk, _enc, done) {
      writes.push(1);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.length);
      done();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('corkPerTurn', () => {
  it("sends a turn's frames in one write, and every frame, in order", async () => {
    const { stream, writes } = recorder();
    const seen: string[] = [];
    const inner = stream._writev?.bind(stream);
    stream._writev = (chunks, done) => {
      for (const c of chunks) seen.push(String(c.chunk));
      inner?.(chunks, done);
    };
    corkPerTurn(stream);
    for (const frame of ['a', 'b', 'c']) stream.write(frame);
    await nextTurn();
    stream.write('d');
    await nextTurn();
    assert.deepEqual(writes, [3, 1]);
    assert.deepEqual(seen, ['a', 'b', 'c']);
  });

  it('leaves the stream uncorked between turns', async () => {
    const { stream } = recorder();
    corkPerTurn(stream);
    stream.write('a');
    assert.equal(stream.writableCorked, 1);
    await nextTurn();
    assert.equal(stream.writableCorked, 0);
  });
});
