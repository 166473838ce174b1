// Drives one target with wrk (Debian's package), as an independent check of autocannon's figures: a
// load generator in C, so that what it costs the shared cores is not the JavaScript client's. Each
// request picks one of `paths` at random; the figures come from wrk's own summary, printed as JSON by
// the script's done().
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadOptions, LoadResult } from './load.js';

const run = promisify(execFile);

export type WrkSpec = { paths: readonly string[]; connections: number };

const SCRIPT = `
local paths = {}
function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"meanUs":%f,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(99)))
end
`;

type Summary = {
  requests: number;
  durationUs: number;
  non2xx: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
};

async function fire(url: string, dir: string, spec: WrkSpec, seconds: number, timeoutSec: number) {
  const args = ['-t2', `-c${spec.connections}`, `-d${seconds}s`, `--timeout`, `${timeoutSec}s`];
  const { stdout } = await run('wrk', [...args, '-s', join(dir, 'paths.lua'), url], {
    env: { ...process.env, WRK_PATHS: join(dir, 'paths.txt') },
    timeout: (seconds + timeoutSec + 30) * 1000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  return JSON.parse(line) as Summary;
}

export async function runWrk(url: string, spec: WrkSpec, opts: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'profiles-bench-wrk-'));
  try {
    writeFileSync(join(dir, 'paths.lua'), SCRIPT);
    writeFileSync(join(dir, 'paths.txt'), `${spec.paths.join('\n')}\n`);
    const timeoutSec = opts.timeoutSec ?? 10;
    if (opts.warmupSec > 0) await fire(url, dir, spec, opts.warmupSec, timeoutSec);
    await opts.beforeMeasure?.();
    const s = await fire(url, dir, spec, opts.durationSec, timeoutSec);
    const durationSec = s.durationUs / 1e6;
    const errors = s.connect + s.read + s.write + s.timeout;
    return {
      rps: s.requests / durationSec,
      // wrk's latencies are of every response, not only the 2xx ones: a run with failures is flagged.
      mean: s.meanUs / 1000,
      p50: s.p50Us / 1000,
      p99: s.p99Us / 1000,
      requests: s.requests,
      non2xx: s.non2xx,
      errors,
      timeouts: s.timeout,
      statusCodes: {},
      durationSec,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
