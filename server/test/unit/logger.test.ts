// The logger: its timestamp, and its last lines. The last lines of a process whose stdout nobody
// reads any more (the process that started it went away, a log collector died) meet EPIPE. The log
// stream's synchronous flush retried a failed write for ever, so a server told to stop never
// exited; flushing must settle, written or not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const LOGGER = fileURLToPath(new URL('../../src/telemetry/logger.ts', import.meta.url));

// Waits until stdout is gone, logs a line (held in the buffer), flushes as the shutdown does, exits.
const CHILD = `
const { createLogger, flushLogger } = await import(${JSON.stringify(LOGGER)});
const logger = createLogger({ level: 'info' });
await new Promise((resolve) => setTimeout(resolve, 300));
logger.info('stopped');
await flushLogger(logger);
process.exit(0);
`;

describe('flushing the log before exit', () => {
  it('settles when stdout can no longer be written, so the process exits', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The reading end closes at once: the child's writes to stdout fail with EPIPE.
    child.stdout.destroy();
    const exit = once(child, 'exit');
    const ended = await Promise.race([exit, sleep(10_000).then(() => undefined)]);
    if (!ended) child.kill('SIGKILL');
    assert.ok(ended, 'the process exited within 10 s');
    assert.deepEqual(ended, [0, null]);
  });
});

describe('the log line timestamp', () => {
  it('is pino’s ISO time of the current millisecond, formatted once per millisecond', async () => {
    const { isoTimeEachMs } = await import('../../src/telemetry/logger.js');
    const pino = (await import('pino')).default;
    let clock = Date.parse('2026-12-02T05:00:00.123Z');
    const time = isoTimeEachMs(() => clock);
    const first = time();
    assert.equal(first, ',"time":"2026-12-02T05:00:00.123Z"');
    assert.equal(time(), first, 'the same millisecond, the same text');
    clock += 1;
    assert.equal(time(), ',"time":"2026-12-02T05:00:00.124Z"');
    const real = isoTimeEachMs();
    const before = Date.now();
    const line = JSON.parse(`{${real().slice(1)}}`) as { time: string };
    assert.ok(Date.parse(line.time) >= before && Date.parse(line.time) <= Date.now());
    assert.match(pino.stdTimeFunctions.isoTime(), /^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    assert.match(real(), /^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/, 'the shape pino writes');
  });
});
