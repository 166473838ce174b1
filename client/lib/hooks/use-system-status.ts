import { useEffect, useRef, useState } from 'react';
import { ApiError, apiPath, type Readiness } from '@/lib/api';
import { parseMetrics } from '@/lib/metrics';
import { type Rate, rate, type Snapshot, snapshot } from '@/lib/system-snapshot';

export const REFRESH_MS = 2_000;

async function read(): Promise<Snapshot> {
  const [readyRes, metricsRes] = await Promise.all([
    fetch(apiPath('/health/ready'), { cache: 'no-store' }),
    fetch(apiPath('/metrics'), { cache: 'no-store' }),
  ]);
  // 503 is an answer too: the report says which dependency is down.
  const ready = (await readyRes.json()) as Readiness;
  if (!metricsRes.ok)
    throw new ApiError(metricsRes.status, 'metrics', `GET /metrics answered ${metricsRes.status}`);
  return snapshot(ready, parseMetrics(await metricsRes.text()));
}

/** Readiness and metrics every REFRESH_MS, with the rates between the last two readings. */
export function useSystemStatus() {
  const [current, setCurrent] = useState<Snapshot | undefined>();
  const previous = useRef<Snapshot | undefined>(undefined);
  const [rates, setRates] = useState<Rate | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const next = await read();
        if (!live) return;
        if (previous.current) setRates(rate(previous.current, next));
        previous.current = next;
        setCurrent(next);
        setError(undefined);
      } catch (err) {
        if (live)
          setError(err instanceof ApiError ? err : new ApiError(0, 'network', 'The API cannot be reached'));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  return { current, rate: rates, error };
}
