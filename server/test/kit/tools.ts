// The one rule for a machine tool a suite needs (nginx, promtool, buildah, PostgreSQL's binaries…):
// found, or the suite is skipped with the reason, and under CI=true a missing tool is a failure.
import { existsSync, readdirSync } from 'node:fs';

const inCi = process.env.CI === 'true';

export type Tool = { path?: string; skip: string | false };

/** The first of `candidates` that exists; `install` says how to get it. */
export function tool(name: string, candidates: string[], install = `apt-get install ${name}`): Tool {
  const path = candidates.find((p) => existsSync(p));
  if (path) return { path, skip: false };
  const reason = `${name} is not installed (${install}; .ci/run installs it)`;
  if (inCi) throw new Error(`${reason}; CI=true: a missing tool is a failure`);
  return { skip: reason };
}

/** A binary of the newest PostgreSQL installed under /usr/lib/postgresql. */
export function postgresTool(name: string): Tool {
  let versions: string[] = [];
  try {
    versions = readdirSync('/usr/lib/postgresql').sort().reverse();
  } catch {
    // none installed
  }
  return tool(
    `PostgreSQL's ${name}`,
    versions.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`),
    'apt-get install postgresql',
  );
}

/** The first reason to skip among several tools, or false when all are there. */
export const anySkip = (...tools: Tool[]): string | false => tools.find((t) => t.skip)?.skip ?? false;
