// Runs before `npm start` / `npm test` (and the other entry scripts) on whatever Node the machine has:
// installs dependencies from the lockfile when they are missing or older than it, or when the pinned
// Node is not the one installed. Node built-ins only: nothing else is installed yet.
//
// The install itself runs on the pinned Node (the `node` devDependency, fetched once into npm's exec
// cache), so packages' `engines` are checked against the Node that will run them and `engine-strict`
// (.npmrc) refuses a dependency that would not run on it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockDir, withLock } from './lib/lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.node;
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const localNode = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');

function installedNode() {
  try {
    return execFileSync(localNode, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

function staleness() {
  if (!existsSync(marker)) return 'node_modules is missing';
  if (statSync(lock).mtimeMs > statSync(marker).mtimeMs)
    return 'package-lock.json is newer than node_modules';
  if (installedNode() !== pinned) return `node_modules/.bin/node is not Node ${pinned}`;
  return undefined;
}

// Two entry scripts started at once (start:server and start:worker) must not install over each other.
if (staleness()) {
  await withLock(
    lockDir(root, 'deps'),
    () => {
      const why = staleness(); // the other one may have installed meanwhile
      if (!why) return;
      console.log(`[ensure-deps] ${why}: npm ci on Node ${pinned}…`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      execFileSync(
        npm,
        ['exec', '--yes', `--package=node@${pinned}`, '--', 'npm', 'ci', '--no-audit', '--no-fund'],
        { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' },
      );
    },
    { onWait: () => console.log('[ensure-deps] waiting for another install to finish…') },
  );
}
