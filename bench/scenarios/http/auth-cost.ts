// What checking a token costs a request: each token-carrying read beside its anonymous twin of the same
// run, on the same service instance, same ids, same bytes sent back; only the Authorization header (and
// so the signature check and the principal it yields) differs.
import type { ServiceName } from '../../lib/targets.js';
import { CACHED } from './cached.js';
import { DB_PATH } from './database.js';
import { AUTH_CACHED, AUTH_GET } from './identity.js';
import type { ScenarioResult } from './scenario.js';

const PAIRS = [
  { path: 'database', anonymous: DB_PATH, authenticated: AUTH_GET },
  { path: 'cached', anonymous: CACHED, authenticated: AUTH_CACHED },
] as const;

type Figures = {
  scenario: string;
  target: ServiceName;
  rps: number;
  /** ms */
  mean: number;
  p99: number;
  /** req/s ÷ the scenario's own baseline run */
  rpsVsBaseline: number;
};

export type AuthCost = {
  path: (typeof PAIRS)[number]['path'];
  anonymous: Figures;
  authenticated: Figures;
  /** authenticated ÷ anonymous req/s */
  rpsRatio: number;
  /**
   * The same ratio, each side first divided by its baseline run (which took no token either time):
   * a machine that was busier during one of the two scenarios moves both of its runs, and cancels out.
   */
  rpsRatioNormalised: number;
  /** authenticated − anonymous mean latency in µs: how much longer one caller waits, at this concurrency. */
  meanLatencyUs: number;
  /**
   * 1e6 ÷ req/s authenticated − 1e6 ÷ req/s anonymous, in µs: the service's time per request, all
   * connections together. When the service is the bottleneck, the token check's own cost per request.
   */
  perRequestUs: number;
};

const figures = (r: ScenarioResult): Figures => ({
  scenario: r.name,
  target: r.serviceName,
  rps: r.service.rps,
  mean: r.service.mean,
  p99: r.service.p99,
  rpsVsBaseline: r.ratios.rps,
});

/** One entry per pair of which both scenarios ran. */
export function deriveAuthCost(results: readonly ScenarioResult[]): AuthCost[] {
  const out: AuthCost[] = [];
  for (const pair of PAIRS) {
    const anon = results.find((r) => r.name === pair.anonymous);
    const auth = results.find((r) => r.name === pair.authenticated);
    if (!anon || !auth) continue;
    const a = figures(anon);
    const t = figures(auth);
    out.push({
      path: pair.path,
      anonymous: a,
      authenticated: t,
      rpsRatio: t.rps / a.rps,
      rpsRatioNormalised: t.rpsVsBaseline / a.rpsVsBaseline,
      meanLatencyUs: (t.mean - a.mean) * 1000,
      perRequestUs: 1e6 / t.rps - 1e6 / a.rps,
    });
  }
  return out;
}

/** Names of the scenarios a pair needs, for saying why a figure is missing. */
export const AUTH_COST_NEEDS = PAIRS.map((p) => `"${p.anonymous}" with "${p.authenticated}"`).join(', ');
