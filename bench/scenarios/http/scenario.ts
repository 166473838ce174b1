// What an HTTP scenario is: the same request sent to the service and to a baseline that does the same work
// with nothing around it, so that the ratio of the two is the service's own overhead.
import type { SavedProfile } from '../../lib/cpu.js';
import type { Callers } from '../../lib/identity.js';
import type { LoadResult, LoadSpec } from '../../lib/load.js';
import type { Running } from '../../lib/proc.js';
import type { Resources } from '../../lib/resources.js';
import type { BaselineName, ServiceName } from '../../lib/targets.js';

/**
 * ids: every seeded id; hot: the cached scenarios' hot set, a random sample of them; callers: the
 * tokens the service side sends (the baselines ignore them).
 */
export type Context = { ids: readonly string[]; hot: readonly string[]; runId: string; callers: Callers };
export type Side = 'service' | 'baseline';
export type Pair = Record<Side, Running>;

export type Scenario = {
  name: string;
  /** The service instance under test; 'service' unless said otherwise. */
  service?: ServiceName;
  baseline: BaselineName;
  load: Record<Side, (ctx: Context) => LoadSpec>;
  /** Runs once before the first round, both targets ready; returns warnings that invalidate the scenario. */
  prepare?: (pair: Pair, ctx: Context, res: Resources) => Promise<string[]>;
  /** The service should answer (nearly) every lookup from its cache; a lower hit ratio is a warning. */
  expectCacheHits?: boolean;
};

/** The service's cache lookups during one measured run (from its /metrics); hitRatio null without lookups. */
export type CacheStats = { hits: number; misses: number; hitRatio: number | null };
/** cpuUsPerRequest: the target's own CPU time (user + system) over the measured run, per request. */
export type Measured = LoadResult & {
  cache?: CacheStats;
  cpuUsPerRequest?: number;
  /** What PostgreSQL (all its processes) and Redis used over the measured run, per request. */
  backendCpuUsPerRequest?: { postgres: number; redis: number };
  /** The target's resident memory at the end of the run, in MiB. */
  rssMiB?: number;
};

/** A side's CPU profile over the scenario's load: the file, and its functions with the most self time. */
export type SideProfile = SavedProfile;

export type ScenarioResult = {
  name: string;
  serviceName: ServiceName;
  baseline: BaselineName;
  order: Side[];
  flagged: boolean;
  service: Measured;
  baselineResult: Measured;
  /** Service ÷ baseline: req/s, p99, and CPU time per request. */
  ratios: { rps: number; p99: number; cpu: number };
  profiles: Partial<Record<Side, SideProfile>>;
  /** Each side's resident memory in MiB: once ready (idle), after the kept run, and its highest yet. */
  memory: Record<Side, { target: string; idle: number; load: number; peak: number }>;
  /** Problems that make the numbers meaningless (e.g. the cache did not serve the cached scenario). */
  warnings: string[];
};
