// The HTTP scenarios in the order they run. The targets a scenario needs are started when it first needs
// them and kept for the scenarios after it, so that a selection of scenarios starts only its own targets.
// A token-carrying read runs right after its anonymous twin, so that the two see the same machine. The
// PATCHes run with the other database scenarios, before the cached reads: service-redis fills its cache
// after the last write, so what it serves is what the database holds.
import { benchCallers } from '../../lib/identity.js';
import type { Running } from '../../lib/proc.js';
import { sample } from '../../lib/random.js';
import type { Resources } from '../../lib/resources.js';
import { type BaselineName, type ServiceName, services, startBaseline } from '../../lib/targets.js';
import { cachedScenario, cachedWrkScenario } from './cached.js';
import { dbGetScenario, listAndCreateScenarios, preflight } from './database.js';
import { authenticatedCachedGet, authenticatedDbGet, patchScenarios } from './identity.js';
import { measureScenario } from './measure.js';
import type { Context, Scenario, ScenarioResult } from './scenario.js';

export const httpScenarios: Scenario[] = [
  dbGetScenario,
  authenticatedDbGet,
  ...listAndCreateScenarios,
  ...patchScenarios,
  cachedScenario,
  cachedWrkScenario,
  authenticatedCachedGet,
];

function onFirstUse<K, V>(start: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const started = new Map<K, V>();
  return async (key) => {
    let value = started.get(key);
    if (value === undefined) {
      value = await start(key);
      started.set(key, value);
    }
    return value;
  };
}

/** `service` is the run's "service" instance, already started; `ids` are the seeded profiles. */
export async function runHttp(
  res: Resources,
  service: Running,
  selected: readonly Scenario[],
  ids: readonly string[],
): Promise<ScenarioResult[]> {
  if (selected.length === 0) return [];
  const { dbUrl, hotSetSize, owners } = res.config;
  const callers = await benchCallers(dbUrl, ids, owners);
  const ctx: Context = { ids, hot: sample(ids, hotSetSize), runId: Date.now().toString(36), callers };
  const serviceFor = onFirstUse((name: ServiceName) =>
    name === 'service' ? Promise.resolve(service) : services[name](res),
  );
  const baselineFor = onFirstUse(async (name: BaselineName) => {
    const baseline = await startBaseline(res, name);
    // fastify-redis serves only what service-redis cached: its scenario's prepare compares the two.
    if (name === 'fastify-pg') await preflight(service, baseline, ids);
    return baseline;
  });
  const results: ScenarioResult[] = [];
  for (const [i, scenario] of selected.entries()) {
    const pair = {
      service: await serviceFor(scenario.service ?? 'service'),
      baseline: await baselineFor(scenario.baseline),
    };
    results.push(await measureScenario(scenario, pair, ctx, i, res));
  }
  return results;
}
