// The runtime the project stands on: the Node the lockfile pins runs every script, and everything
// that names a Node (engines, types, images, CI) names that one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WASM_WRAPPER_FLAG } from '../kit/process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const json = (path: string) => JSON.parse(read(path));

const rootPkg = json('package.json');
const pinned: string = rootPkg.devDependencies.node;
const lock = json('package-lock.json') as {
  packages: Record<string, { version?: string; optionalDependencies?: Record<string, string> }>;
};

/** Whether `version` satisfies a range of the form `>=A.B[.C] <D` (the shape `engines` uses here). */
function satisfies(version: string, range: string): boolean {
  const m = /^>=(\d+)\.(\d+)(?:\.(\d+))? <(\d+)$/.exec(range);
  assert.ok(m, `engines range "${range}" has the expected shape`);
  const [maj, min, pat] = version.split('.').map(Number) as [number, number, number];
  const [lo, loMin, loPat, hi] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4])];
  const atLeast = maj > lo || (maj === lo && (min > loMin || (min === loMin && pat >= loPat)));
  return atLeast && maj < hi;
}

/** Whether `dep` is locked where node would find it from `path`: its own node_modules, then each ancestor's. */
function resolvable(path: string, dep: string): boolean {
  let dir = path;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${dep}`]) return true;
    if (!dir) return false;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

describe('runtime', () => {
  it('pins a Node 24 release and these tests run on it (npm scripts put it first on PATH)', () => {
    assert.match(pinned, /^24\.\d+\.\d+$/, 'the node devDependency is an exact Node 24 version');
    assert.equal(process.versions.node, pinned);
    assert.equal(lock.packages['node_modules/node']?.version, pinned, 'the lockfile agrees');
  });

  it("PGlite's wasm-to-JS wrappers never tier up, in these tests, the processes they start and npm start", () => {
    // The V8 fault it avoids is in kit/process.ts.
    assert.ok(process.execArgv.includes(WASM_WRAPPER_FLAG), `this test file's process: ${process.execArgv}`);
    const { scripts } = JSON.parse(read('server/package.json')) as { scripts: Record<string, string> };
    for (const name of ['test', 'test:unit', 'test:integration', 'test:system'])
      assert.ok(scripts[name]?.startsWith(`node ${WASM_WRAPPER_FLAG} `), name);
    assert.ok(read('scripts/start.mjs').includes(WASM_WRAPPER_FLAG), 'npm start');
  });

  it('engines are true: the same Node 24 range everywhere, satisfied by the pinned Node', () => {
    for (const path of ['package.json', 'server/package.json', 'client/package.json']) {
      const range = json(path).engines?.node;
      assert.equal(range, rootPkg.engines.node, path);
      assert.ok(satisfies(pinned, range), `${path}: ${range} admits ${pinned}`);
      assert.equal(satisfies('20.20.2', range), false, `${path}: ${range} refuses Node 20`);
    }
    assert.match(read('.npmrc'), /^engine-strict=true$/m, 'a dependency that cannot run on it is refused');
  });

  it('@types/node describes Node 24', () => {
    for (const ws of ['server', 'client'])
      assert.match(json(`${ws}/package.json`).devDependencies['@types/node'], /^\^24\./);
    assert.match(lock.packages['node_modules/@types/node']?.version ?? '', /^24\./);
  });

  it('images and CI install with npm ci on node:24-bookworm-slim, with no fallback to npm install', () => {
    for (const file of ['server/Dockerfile', 'client/Dockerfile']) {
      const text = read(file);
      assert.match(text, /^ARG NODE_IMAGE=node:24-bookworm-slim$/m, file);
      assert.match(text, /npm ci /, file);
      assert.doesNotMatch(text, /npm install/, file);
    }
    const ci = read('.ci/run');
    assert.match(ci, /npm ci /);
    assert.doesNotMatch(ci, /npm install/);
  });

  it("the lockfile lists every platform's optional binaries (npm ci refuses one that lacks them)", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolvable(path, dep)) missing.push(`${dep} (of ${path || 'the root'})`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
