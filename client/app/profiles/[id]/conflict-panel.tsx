import type { Conflict } from '@/lib/hooks/use-profile-edits';

const FIELDS = ['name', 'email', 'bio'] as const;

const WORDS = {
  'on-save': {
    why: (v: number) => `Your changes were not saved: the profile is now at version ${v}.`,
    mine: 'Keep my edits (in the fields I changed)',
    theirs: 'Keep their version (discard my edits)',
  },
  live: {
    why: (v: number) =>
      `While you were editing, version ${v} was saved elsewhere. Your edits are not saved yet.`,
    mine: 'Keep editing (saving will replace their version)',
    theirs: 'Take their version (discard my edits)',
  },
} as const;

/** Their saved values beside the edits not saved, field by field, and the choice of which to keep. */
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
  const { theirs, mine, seen } = conflict;
  const words = WORDS[seen];
  return (
    <section className="conflict" aria-labelledby="conflict-heading" role="alert">
      <h2 id="conflict-heading">Someone else changed this profile</h2>
      <p>{words.why(theirs.version)} Choose which version to keep.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Their version (saved)</th>
            <th scope="col">Your edits (not saved)</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map((f) => {
            const yours = mine[f];
            return (
              <tr
                key={f}
                className={yours !== undefined && (theirs[f] ?? '') !== yours ? 'differs' : undefined}
              >
                <th scope="row">{f}</th>
                <td>{theirs[f] || <span className="muted">(empty)</span>}</td>
                <td>
                  {yours === undefined ? (
                    <span className="muted">(not changed: theirs stays)</span>
                  ) : (
                    yours || <span className="muted">(empty)</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onKeepMine}>
          {words.mine}
        </button>
        <button type="button" disabled={busy} onClick={onKeepTheirs}>
          {words.theirs}
        </button>
      </div>
    </section>
  );
}
