import type { ReactNode } from 'react';
import { pct, type Rate, type Snapshot } from '@/lib/system-snapshot';

function Stat({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Request rate and count, cache hit rate and entries, queue depth and uploads. */
export function TrafficStats({ current, rate }: { current: Snapshot; rate: Rate | undefined }) {
  const { hits, misses, depth } = current;
  return (
    <section aria-labelledby="numbers-heading">
      <h2 id="numbers-heading">Traffic</h2>
      <dl className="stats">
        <Stat term="Request rate">{rate ? `${rate.rps.toFixed(1)} req/s` : 'measuring…'}</Stat>
        <Stat term="Requests answered">
          {current.httpCount} ({current.http5xx} server errors)
        </Stat>
        <Stat term="Cache hit rate">
          {pct(hits, hits + misses)} overall
          {rate && rate.hitRate !== '—' ? `, ${rate.hitRate} just now` : ''}
        </Stat>
        <Stat term="Cache entries">{current.entries}</Stat>
        <Stat term="Queue depth">
          {depth.due} due · {depth.queued} queued · {depth.running} running
        </Stat>
        <Stat term="Image uploads">{current.uploads}</Stat>
      </dl>
    </section>
  );
}
