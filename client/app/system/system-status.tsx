'use client';

import { ErrorBox, Loading } from '@/components/states';
import { REFRESH_MS, useSystemStatus } from '@/lib/hooks/use-system-status';
import { DependencyCards } from './dependency-cards';
import { TrafficStats } from './traffic-stats';

export function SystemStatus() {
  const { current, rate, error } = useSystemStatus();

  if (!current) return error ? <ErrorBox error={error} /> : <Loading label="Reading the service’s health…" />;
  const { ready } = current;
  return (
    <>
      {error && <ErrorBox error={error} />}
      <p className="muted" aria-live="polite">
        Overall: <span className={`badge badge-${ready.status}`}>{ready.status}</span> · refreshed every{' '}
        {REFRESH_MS / 1000} s, last at {new Date(current.at).toLocaleTimeString()}
      </p>
      <DependencyCards checks={ready.checks} />
      <TrafficStats current={current} rate={rate} />
    </>
  );
}
