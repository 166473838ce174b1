import type { Conflict } from '@/lib/hooks/use-profile-edits';

const FIELDS = ['name', 'email', 'bio'] as const;

/** Their saved values beside the refused edits, field by field, and the choice of which to keep. */
export function ConflictPanel({
  conflict,
  busy,
  onKeepMine,
  onKeepTheirs,
}: {
  conflict: Conflict;
  busy: boolean;
  onKeepMine: () => void;
  onKeepTheirs: () => void;
}) {
  const { theirs, mine } = conflict;
  return (
    <section className="conflict" aria-labelledby="conflict-heading" role="alert">
      <h2 id="conflict-heading">Someone else changed this profile</h2>
      <p>
        Your changes were not saved: the profile is now at version {theirs.version}. Choose which version to
        keep.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Their version (saved)</th>
            <th scope="col">Your edits (not saved)</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map((f) => (
            <tr key={f} className={theirs[f] !== mine[f] ? 'differs' : undefined}>
              <th scope="row">{f}</th>
              <td>{theirs[f] || <span className="muted">(empty)</span>}</td>
              <td>{mine[f] || <span className="muted">(empty)</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onKeepMine}>
          Keep my edits (overwrite theirs)
        </button>
        <button type="button" disabled={busy} onClick={onKeepTheirs}>
          Keep their version (discard my edits)
        </button>
      </div>
    </section>
  );
}
