import type { Writable } from 'node:stream';

/**
 * Makes the frames a turn of the event loop writes to `stream` leave in one write. amqplib writes
 * every frame (a publish, an ack) to the socket on its own, each a syscall and a packet; a batch
 * of publishes or acks was as many. The stream is corked at a turn's first write and uncorked on
 * the next tick, so nothing waits for a timer.
 */
export function corkPerTurn(stream: Writable): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Writable['write'];
}
