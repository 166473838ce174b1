// Compiles the server into server/dist once, safely, for the entry scripts (start:server,
// start:worker, migrate, start): processes started at the same moment take turns under a lock, the
// first compiles and the rest find dist up to date. dist is replaced whole (compiled beside it, then
// renamed into place), so no process ever reads a half-written build.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockDir, withLock } from './lib/lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(root, 'server');
const dist = join(server, 'dist');
const stampFile = join(dist, '.source-hash');

/** A hash of everything the build reads from the server package (sources and compiler settings). */
function sourceHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(path.slice(server.length)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(join(server, 'src'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json'])
    hash.update(readFileSync(join(server, f)));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex');
}

const upToDate = (hash) => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;

await withLock(
  lockDir(root, 'server-build'),
  () => {
    const hash = sourceHash();
    if (upToDate(hash)) return;
    console.log('[build] compiling the server…');
    const next = join(server, `dist.next-${process.pid}`);
    const old = join(server, `dist.old-${process.pid}`);
    rmSync(next, { recursive: true, force: true });
    try {
      const tsc = join(root, 'node_modules', '.bin', 'tsc');
      execFileSync(tsc, ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: server, stdio: 'inherit' });
      writeFileSync(join(next, '.source-hash'), hash);
      if (existsSync(dist)) renameSync(dist, old);
      renameSync(next, dist);
    } finally {
      rmSync(next, { recursive: true, force: true });
      rmSync(old, { recursive: true, force: true });
    }
  },
  { onWait: () => console.log('[build] waiting for another build of the server…') },
);
