// Where a target's time goes: the CPU time it used (user + system, from /proc, so that what the load
// generator on the same machine burns is not counted), and sampled CPU profiles taken through its
// inspector over one scenario's load: the same .cpuprofile as node --cpu-prof writes, but per
// scenario from one long-lived process.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results/profiles: one .cpuprofile per scenario and target (open in Chrome DevTools or speedscope). */
const PROFILES_DIR = fileURLToPath(new URL('../results/profiles/', import.meta.url));

/** Linux's USER_HZ: /proc's CPU times are in ticks of 1/100 s on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** A /proc/<pid>/stat line's command and CPU seconds (user + system). */
function parseStat(stat: string): { command: string; seconds: number } {
  // The command is in parentheses and may hold spaces; after it, utime and stime are the 12th and 13th fields.
  const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { command, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/** Seconds of CPU (user + system) process `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).seconds;
}

/** CPU seconds so far of each process whose command is one of `names`, by pid. */
export function cpuByProcess(names: readonly string[]): Map<number, { command: string; seconds: number }> {
  const wanted = new Set(names);
  const out = new Map<number, { command: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const parsed = parseStat(stat);
    if (wanted.has(parsed.command)) out.set(Number(entry), parsed);
  }
  return out;
}

/**
 * The CPU seconds each command used between two readings of cpuByProcess: a process started
 * meanwhile counts whole; one that exited meanwhile takes its time with it (an undercount, never
 * a negative), which for long-lived servers and pooled connections is little.
 */
export function cpuUsedBetween(
  before: ReturnType<typeof cpuByProcess>,
  after: ReturnType<typeof cpuByProcess>,
): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [pid, { command, seconds }] of after) {
    const earlier = before.get(pid);
    const delta = earlier && earlier.command === command ? seconds - earlier.seconds : seconds;
    used[command] = (used[command] ?? 0) + Math.max(0, delta);
  }
  return used;
}

type CallFrame = { functionName: string; url: string; lineNumber: number };
export type CpuProfile = {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
};

/** One Chrome DevTools Protocol session over the inspector's WebSocket. */
async function devtools(inspectPort: number) {
  const list = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = list[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectPort}`);
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`inspector ${url} refused the connection`)), {
      once: true,
    });
  });
  let next = 0;
  const pending = new Map<number, (msg: { result?: unknown; error?: { message: string } }) => void>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
  });
  const call = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, (msg) => {
        pending.delete(id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result as T);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { call, close: () => ws.close() };
}

/** A CPU profile of the target on `inspectPort` while `during` runs, sampled every `intervalUs`. */
export async function profileWhile(
  inspectPort: number,
  during: () => Promise<unknown>,
  intervalUs = 500,
): Promise<CpuProfile> {
  const session = await devtools(inspectPort);
  try {
    await session.call('Profiler.enable');
    await session.call('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.call('Profiler.start');
    await during();
    const { profile } = await session.call<{ profile: CpuProfile }>('Profiler.stop');
    await session.call('Profiler.disable');
    return profile;
  } finally {
    session.close();
  }
}

export type SelfTime = { fn: string; where: string; pct: number };

/** Where a script is, short: a package and its file, or the repository path. */
function shortUrl(url: string): string {
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
  if (pkg) return `${pkg[1]}/${pkg[2]?.split('/').pop()}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(server|bench)\//, '$1/');
}

/**
 * The busy samples (idle time left out; the garbage collector and native code stay in, as Node
 * reports them) grouped by `keyOf` of each frame: the `n` largest groups, as shares of them all.
 */
function selfTimeBy(profile: CpuProfile, keyOf: (frame: CallFrame) => string, n: number) {
  const by = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += hits;
    const key = keyOf(node.callFrame);
    by.set(key, (by.get(key) ?? 0) + hits);
  }
  return [...by]
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([key, hits]) => ({ key, pct: busy > 0 ? (100 * hits) / busy : 0 }));
}

/** The `n` functions with the most self time, as shares of the busy samples. */
export function topSelfTime(profile: CpuProfile, n = 10): SelfTime[] {
  // The function and where it is, tab-separated in the key (neither holds a tab).
  const keyOf = ({ functionName, url, lineNumber }: CallFrame) =>
    `${functionName || '(anonymous)'}\t${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`;
  return selfTimeBy(profile, keyOf, n).map(({ key, pct }) => {
    const [fn = '', where = ''] = key.split('\t');
    return { fn, where, pct };
  });
}

/** What a script belongs to: its package, Node itself, a folder of the service, or native code. */
function ownerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return ['(garbage collector)', '(program)'].includes(functionName) ? functionName : '(native)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg.startsWith('@opentelemetry/') ? '@opentelemetry/*' : pkg;
  if (url.startsWith('node:')) return 'node';
  const own = url.match(/\/server\/(?:dist|src)\/([^/]+)\//)?.[1];
  return own ? `service ${own}/` : 'other';
}

export type PackageTime = { owner: string; pct: number };

/** Self time summed by what owns the code (see ownerOf), the `n` largest, as shares of the busy samples. */
export function selfTimeByOwner(profile: CpuProfile, n = 8): PackageTime[] {
  return selfTimeBy(profile, ownerOf, n).map(({ key, pct }) => ({ owner: key, pct }));
}

/** A profile saved beside the results: its file, the functions with the most self time, and the owners. */
export type SavedProfile = { file: string; top: SelfTime[]; byOwner: PackageTime[] };

/** Saves `profile` as bench/results/profiles/<name>.cpuprofile. */
export function saveProfile(name: string, profile: CpuProfile): SavedProfile {
  const file = join(PROFILES_DIR, `${name}.cpuprofile`);
  mkdirSync(PROFILES_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  return { file, top: topSelfTime(profile, 10), byOwner: selfTimeByOwner(profile, 8) };
}
