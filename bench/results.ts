// bench/results/latest.json: the run's numbers with what they were measured on, for comparing runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './lib/config.js';
import type { Report } from './report.js';

function machine() {
  const cpus = os.cpus();
  return {
    timestamp: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown' },
  };
}

const settings = (c: Config) => ({
  durationSec: c.durationSec,
  warmupSec: c.warmupSec,
  connections: c.connections,
  seedRows: c.seedRows,
  searchRows: c.searchRows,
  rounds: c.rounds,
  redisAddress: c.redisAddress,
  cacheKeyPrefix: c.cacheKeyPrefix,
  hotSetSize: c.hotSetSize,
  owners: c.owners,
  settings: c.settings,
  rateLimits: c.settings === 'production' ? 'on, budgets above the load' : 'off (RATE_LIMIT_ENABLED=false)',
  tracing: c.settings === 'production' ? '10 % sampled, OTLP to the bench' : 'off',
  profileSec: c.profileSec,
  tasks: c.tasks,
});

/** Returns the file written. */
export function writeResults(config: Config, r: Report): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const doc = {
    ...machine(),
    config: settings(config),
    scenarios: r.http.map((s) => ({
      name: s.name,
      order: s.order,
      flagged: s.flagged,
      warnings: s.warnings,
      service: { name: s.serviceName, ...s.service },
      baseline: { name: s.baseline, ...s.baselineResult },
      ratios: { rpsVsBaseline: s.ratios.rps, p99VsBaseline: s.ratios.p99 },
    })),
    derived: { cachedVsDbGet: r.derived ?? null, authCost: r.authCost },
    tasks: r.tasks ?? null,
    images: r.images ?? null,
    search: r.search ?? null,
    tracing: r.tracing ?? null,
    features: r.features ?? null,
    growth: r.growth ?? null,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}
