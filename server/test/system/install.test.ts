// A reproducible install: `npm ci` accepts the committed lockfile (it refuses one out of sync with
// the manifests or missing another platform's optional binaries), and so it does a lockfile
// regenerated from scratch, so the committed one is not an accident of one machine.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const MANIFESTS = ['package.json', '.npmrc', 'server/package.json', 'client/package.json'];

/** The manifests (and, unless `fresh`, the lockfile) in a directory of their own. */
function copyProject(fresh: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'install-check-'));
  mkdirSync(join(dir, 'server'));
  mkdirSync(join(dir, 'client'));
  for (const f of [...MANIFESTS, ...(fresh ? [] : ['package-lock.json'])])
    copyFileSync(join(ROOT, f), join(dir, f));
  return dir;
}

const npm = (cwd: string, ...args: string[]) =>
  run('npm', [...args, '--no-audit', '--no-fund'], { cwd, maxBuffer: 32 * 1024 * 1024, timeout: 300_000 });

describe('reproducible install', { timeout: 600_000 }, () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('npm ci accepts the committed lockfile, with no engine warning', async () => {
    const dir = copyProject(false);
    dirs.push(dir);
    const { stdout, stderr } = await npm(dir, 'ci', '--dry-run', '--ignore-scripts');
    assert.doesNotMatch(stdout + stderr, /EBADENGINE|Missing: /);
  });

  it('a lockfile regenerated from scratch is accepted by npm ci too', async () => {
    const dir = copyProject(true);
    dirs.push(dir);
    await npm(dir, 'install', '--package-lock-only', '--ignore-scripts');
    const { stdout, stderr } = await npm(dir, 'ci', '--dry-run', '--ignore-scripts');
    assert.doesNotMatch(stdout + stderr, /EBADENGINE|Missing: /);
  });
});
