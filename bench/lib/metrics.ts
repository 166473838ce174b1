// The service's own counters, read from its /metrics, so that a scenario can tell what its cache did.
import type { Running } from './proc.js';

/** Sum of a counter's samples in Prometheus text format. */
function counter(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^(\S+?)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m?.[1] === name) total += Number(m[2]);
  }
  return total;
}

/** The target's /metrics, as Prometheus text. */
async function metricsText(target: Running): Promise<string> {
  const res = await fetch(`${target.url}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${target.url}/metrics answered ${res.status}`);
  return text;
}

export async function cacheCounters(target: Running): Promise<{ hits: number; misses: number }> {
  const text = await metricsText(target);
  return { hits: counter(text, 'cache_hits_total'), misses: counter(text, 'cache_misses_total') };
}

/** How many statements of each name the target has run (its db_query_duration_seconds counts). */
export async function queryCounts(target: Running): Promise<Map<string, number>> {
  const text = await metricsText(target);
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^db_query_duration_seconds_count\{[^}]*query="([^"]+)"[^}]*\}\s+(\S+)/.exec(line);
    if (m?.[1]) counts.set(m[1], (counts.get(m[1]) ?? 0) + Number(m[2]));
  }
  return counts;
}
