// A lock between processes on one machine: whoever creates the lock directory first holds it, the
// others wait. The holder's pid is written inside, so a lock left by a process that died is taken
// over instead of being waited on forever.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function holderAlive(dir) {
  let pid;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    // Just created and its pid not written yet, unless that was long ago (the creator died).
    try {
      return Date.now() - statSync(dir).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The lock directory for `name` of the checkout at `root` (outside it, so git never sees it). */
export const lockDir = (root, name) =>
  join(
    tmpdir(),
    `profile-service-${createHash('sha256').update(root).digest('hex').slice(0, 12)}-${name}.lock`,
  );

/** Runs `fn` while holding the lock at `dir`; waits at most `timeoutMs` for another holder. */
export async function withLock(dir, fn, { timeoutMs = 15 * 60_000, onWait } = {}) {
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (!holderAlive(dir)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the lock ${dir}`);
    if (!waited) onWait?.();
    waited = true;
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
