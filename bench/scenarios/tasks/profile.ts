// Where a task's CPU goes: one more batch (unmeasured, after the measured ones) with a CPU profile of
// the API and of each worker taken over it, saved beside the results, with each process's top self time.
import { type CpuProfile, profileWhile, type SavedProfile, saveProfile } from '../../lib/cpu.js';
import { queryCounts } from '../../lib/metrics.js';
import type { Running } from '../../lib/proc.js';
import { fixed } from '../../lib/table.js';
import { fnCell, ownersLine } from '../http/profile-report.js';
import { problems, runBatch, type TaskRun } from './batch.js';
import { submitBatch } from './submit.js';

export type TaskProfile = SavedProfile & {
  process: string;
  /** Statements this process ran per succeeded task over the batch, by name. */
  queriesPerTask: Record<string, number>;
};

/** Profiles every process of `targets` at once while `during` runs. */
async function profileAll(
  targets: Running[],
  during: () => Promise<unknown>,
): Promise<Map<Running, CpuProfile>> {
  const profiles = new Map<Running, CpuProfile>();
  let release: () => void = () => {};
  const done = new Promise<void>((r) => (release = r));
  let started = 0;
  let allStarted: () => void = () => {};
  const ready = new Promise<void>((r) => (allStarted = r));
  const sessions = targets.map((t) =>
    profileWhile(t.inspectPort as number, () => {
      if (++started === targets.length) allStarted();
      return done;
    }).then((p) => profiles.set(t, p)),
  );
  await ready;
  try {
    await during();
  } finally {
    release();
    await Promise.all(sessions);
  }
  return profiles;
}

export async function profileTasks(run: TaskRun, api: Running): Promise<TaskProfile[]> {
  const targets = [api, ...run.workers.running()];
  if (run.res.config.profileSec === 0 || targets.some((t) => t.inspectPort === undefined)) return [];
  const batch = `${run.runId}-profiled`;
  const count = run.res.config.tasks;
  process.stdout.write(`tasks profile → ${targets.length - 1} worker(s): ${count} echo tasks … `);
  const before = await Promise.all(targets.map(queryCounts));
  let succeeded = 0;
  const profiles = await profileAll(targets, async () => {
    const { submit, stats } = await runBatch(run, batch, (post) => submitBatch(post, batch, count, 0));
    run.warn(problems('tasks profile', submit, stats));
    succeeded = stats.succeeded;
  });
  const after = await Promise.all(targets.map(queryCounts));
  const out: TaskProfile[] = [];
  for (const [i, target] of targets.entries()) {
    const profile = profiles.get(target) as CpuProfile;
    const queriesPerTask: Record<string, number> = {};
    for (const [name, n] of after[i] ?? []) {
      const ran = n - (before[i]?.get(name) ?? 0);
      if (ran > 0) queriesPerTask[name] = ran / Math.max(1, succeeded);
    }
    out.push({
      process: target.name,
      ...saveProfile(`tasks-throughput.${target.name}`, profile),
      queriesPerTask,
    });
  }
  console.log('done');
  return out;
}

/** Each profiled process's self time by owner and its top functions. */
export function taskProfileTables(profiles: TaskProfile[]): string {
  return profiles
    .map((p) => {
      const top = p.top.map((t) => `  ${fnCell(t)}`).join('\n');
      const queries = Object.entries(p.queriesPerTask)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${fixed(n, 2)}`)
        .join(', ');
      return (
        `tasks throughput, ${p.process} (self time): by owner: ${ownersLine(p.byOwner)}\n${top}\n` +
        `statements per task: ${queries}\nprofile: ${p.file}`
      );
    })
    .join('\n\n');
}
