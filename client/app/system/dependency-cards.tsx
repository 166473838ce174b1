import type { DependencyCheck, Readiness } from '@/lib/api';

const present = (entry: [string, DependencyCheck | undefined]): entry is [string, DependencyCheck] =>
  entry[1] !== undefined;

/** A card for each dependency the readiness report names: its status, which one, latency, errors. */
export function DependencyCards({ checks }: { checks: Readiness['checks'] }) {
  return (
    <section aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies</h2>
      <ul className="cards">
        {Object.entries(checks)
          .filter(present)
          .map(([name, c]) => (
            <li key={name} className="card">
              <h3>{name}</h3>
              <p>
                <span className={`badge badge-${c.status}`}>{c.status}</span>{' '}
                {c.mode && <span className="muted">{c.mode}</span>}
              </p>
              {c.latency_ms !== undefined && <p className="muted small">{c.latency_ms} ms</p>}
              {c.breaker && <p className="muted small">breaker {c.breaker}</p>}
              {c.error && <p className="field-error small">{c.error}</p>}
            </li>
          ))}
      </ul>
    </section>
  );
}
