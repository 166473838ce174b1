// The client's wire types, generated: the OpenAPI document the server prints (`npm run openapi -w
// server`), through openapi-typescript, formatted by the repository's Biome so that the committed file
// passes `biome check` as it is.
//
// openapi-typescript builds its output with the TypeScript compiler API (ts.factory, the printer),
// which TypeScript 7, the repository's `typescript`, does not have. So it runs from an install of its
// own (./openapi-typescript, with its own lockfile) in which `typescript` is an npm alias of
// `@typescript/typescript6`, Microsoft's side-by-side TypeScript 6 kept for tools that still need that
// API; an override there lets it stand for openapi-typescript's `^5` peer range, which TypeScript 6
// serves unchanged. It is not a devDependency of the workspace because there TypeScript 6 (with its
// own `tsc` bin) would be hoisted into the root node_modules, and npm then links either compiler as
// node_modules/.bin/tsc depending on the order of the install, so that the server and the client
// could be type-checked by TypeScript 6 without anyone noticing.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLIENT = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLIENT, '..');
const TOOL = join(CLIENT, 'scripts', 'openapi-typescript');
export const GENERATED = join(CLIENT, 'lib', 'api.gen.ts');

const HEADER = `// Generated from the API's OpenAPI document by \`npm run gen:api -w client\` (scripts/gen-api.ts).
// Do not edit: \`npm test\` fails when this file is not what the API generates.

`;

type OpenapiTypescript = {
  default: (schema: object, options: { silent: boolean }) => Promise<unknown>;
  astToString: (ast: unknown) => string;
};

const win = process.platform === 'win32';
const npm = (args: string[], cwd: string, stdio: 'pipe' | 'stderr') =>
  execFileSync(win ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    shell: win,
    // Install logs go to stderr: stdout is the CLI's answer, and a test's report.
    stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'inherit'] : ['ignore', 2, 2],
  });

/** Installs the generator from its lockfile when it is missing or older than that lockfile. */
function ensureGenerator() {
  const marker = join(TOOL, 'node_modules', '.package-lock.json');
  const lock = join(TOOL, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], TOOL, 'stderr');
}

async function loadGenerator(): Promise<OpenapiTypescript> {
  ensureGenerator();
  const entry = createRequire(join(TOOL, 'package.json')).resolve('openapi-typescript');
  return (await import(pathToFileURL(entry).href)) as OpenapiTypescript;
}

function format(source: string): string {
  const biome = createRequire(join(ROOT, 'package.json')).resolve('@biomejs/biome/bin/biome');
  return execFileSync(process.execPath, [biome, 'format', '--stdin-file-path=client/lib/api.gen.ts'], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** lib/api.gen.ts as the API's current OpenAPI document makes it. */
export async function generateApiTypes(): Promise<string> {
  const document = JSON.parse(npm(['run', '-s', 'openapi', '-w', 'server'], ROOT, 'pipe')) as object;
  const { default: openapiTS, astToString } = await loadGenerator();
  return format(HEADER + astToString(await openapiTS(document, { silent: true })));
}

/** Why `committed` is not `fresh` (the first line that differs), or undefined when they agree. */
export function staleness(fresh: string, committed: string | undefined): string | undefined {
  if (committed === fresh) return undefined;
  if (committed === undefined) return 'client/lib/api.gen.ts is missing';
  const ours = committed.split('\n');
  const theirs = fresh.split('\n');
  const at = ours.findIndex((line, i) => line !== theirs[i]);
  const line = at < 0 ? ours.length : at;
  return [
    `client/lib/api.gen.ts is stale: line ${line + 1} differs from what the API generates`,
    `  committed: ${ours[line] ?? '(end of file)'}`,
    `  generated: ${theirs[line] ?? '(end of file)'}`,
    'Run `npm run gen:api -w client` and commit the result.',
  ].join('\n');
}
