// The last log lines of a process whose stdout nobody reads any more (the process that started it
// went away, a log collector died) meet EPIPE. The log stream's synchronous flush retried a failed
// write for ever, so a server told to stop never exited; flushing must settle, written or not.
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
