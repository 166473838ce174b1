// Spectral, with its OpenAPI ruleset (spectral:oas, server/.spectral.yaml), finds nothing in the
// document the API serves: no error, no warning.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testApp } from '../kit/app.js';

const SERVER = fileURLToPath(new URL('../../', import.meta.url));
const SPECTRAL = join(SERVER, '..', 'node_modules', '.bin', 'spectral');

describe('spectral lint', () => {
  it('reports 0 errors and 0 warnings with spectral:oas', async (ctx) => {
    const t = await testApp(ctx);
    const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
    ctx.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(t.app.swagger(), null, 2));
    const report = join(dir, 'report.json');
    await promisify(execFile)(
      SPECTRAL,
      ['lint', file, '--ruleset', join(SERVER, '.spectral.yaml'), '--format', 'json', '--output', report],
      { cwd: SERVER },
    ).catch((err: { code?: number; stderr?: string }) => {
      // Exit 1: results at error severity, shown by the assertion below; anything else: it did not run.
      if (err.code !== 1) throw new Error(`spectral did not run: ${err.stderr ?? String(err)}`);
    });
    const stdout = await readFile(report, 'utf8');
    const results = JSON.parse(stdout) as { code: string; message: string; path: string[] }[];
    assert.deepEqual(
      results.map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`),
      [],
    );
  });
});
