// Runs before `npm start` / `npm test` on a fresh clone: installs dependencies when they are missing
// or older than the lockfile, using only Node built-ins (nothing else is installed yet).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.log('[ensure-deps] installing dependencies…');
  // `npm install` honours the lockfile's versions; `npm ci` is avoided because npm 11 may refuse its own
  // lockfile when other-platform optional binaries are not on the registry (npm/cli#9846).
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
