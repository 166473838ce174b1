// Processes started as production starts them, with the tracing bootstrap, for the tracing tests;
// and what those tests ask of the spans they receive.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';
import type { ReceivedSpan } from './otlp-receiver.js';
import { spawnNode } from './process.js';

const SERVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Loaded before the bootstrap: says whether the SDK was ever resolved in the process.
const PROBE = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  if (specifier.startsWith('@opentelemetry/sdk-node')) process.stderr.write('[probe] sdk-node loaded\\n');
  return next(specifier, context);
} });
`;

export type Proc = { output: () => string; port: number; stop: () => Promise<void> };

/** An entry point of dist started as production starts it, the probe first. */
export async function startTraced(
  entry: 'server' | 'worker',
  env: Record<string, string>,
  probe: string,
): Promise<Proc> {
  const { proc, output, exit } = spawnNode(
    ['--import', probe, '--import', './dist/telemetry/tracing.js', `dist/cmd/${entry}.js`],
    env,
  );
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  const listening =
    entry === 'server' ? /Server listening at http:\/\/127\.0\.0\.1:(\d+)/ : /"msg":"worker started"/;
  await eventually(`the ${entry} starts`, () => listening.test(output()), {
    timeoutMs: 60_000,
    stopIf: () => exited && `it exited:\n${output()}`,
  });
  const port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output())?.[1] ?? 0);
  return {
    output,
    port,
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      await Promise.race([exit, sleep(10_000).then(() => proc.kill('SIGKILL'))]);
    },
  };
}

export const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

/** The first span `find` finds, once it has arrived. */
export const arrives = (what: string, find: () => ReceivedSpan | undefined) =>
  eventually(what, find) as Promise<ReceivedSpan>;

export const byId = (spans: ReceivedSpan[]) => new Map(spans.map((s) => [s.spanId, s]));
export const isDb = (s: ReceivedSpan, system: string) =>
  s.attributes['db.system.name'] === system || s.attributes['db.system'] === system;
export const statementOf = (s: ReceivedSpan) =>
  String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '');

/** dist, as the image runs it (compiled once, under a lock, by the script `npm start` uses). */
export function buildDist(): void {
  execFileSync(process.execPath, ['../scripts/build-server.mjs'], { cwd: SERVER_ROOT, stdio: 'ignore' });
}

/** The probe module, written where a process can --import it; its path. */
export function writeProbe(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otel-probe-')), 'probe.mjs');
  writeFileSync(path, PROBE);
  return path;
}
