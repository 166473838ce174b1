import { Registry, type RegistryContentType } from 'prom-client';

export const OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;

/** Whether a scraper's Accept header asks for OpenMetrics (what carries exemplars). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return type === 'application/openmetrics-text' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * Renders one registry in either text format. prom-client formats by the registry's content type,
 * and its OpenMetrics rendering renames counters in place (`x_total` → `x`), which would leak into
 * the next Prometheus-format scrape: renderings take turns, and each OpenMetrics one gives the
 * counters their names back.
 */
export function createExposition(registry: Registry<RegistryContentType>) {
  let turn: Promise<unknown> = Promise.resolve();

  async function render(openMetrics: boolean): Promise<{ contentType: string; body: string }> {
    if (!openMetrics) return { contentType: registry.contentType, body: await registry.metrics() };
    const names = registry.getMetricsAsArray().map((m) => [m, m.name] as const);
    const prometheus = registry.contentType;
    registry.setContentType(OPENMETRICS);
    try {
      return { contentType: OPENMETRICS, body: await registry.metrics() };
    } finally {
      registry.setContentType(prometheus);
      for (const [metric, name] of names) (metric as { name: string }).name = name;
    }
  }

  return {
    render(openMetrics: boolean) {
      const result = turn.then(() => render(openMetrics));
      turn = result.catch(() => {});
      return result;
    },
  };
}

export type Exposition = ReturnType<typeof createExposition>;
