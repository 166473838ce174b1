import { Empty } from '@/components/states';
import { FINISHED, type Task } from '@/lib/api';
import { formatTime } from '@/lib/format';

function TaskRow({ task, onCancel }: { task: Task; onCancel: (id: string) => void }) {
  const finished = FINISHED.includes(task.status);
  return (
    <tr>
      <td>
        <code title={task.id}>{task.id.slice(-12)}</code>
      </td>
      <td>{task.type}</td>
      <td>
        <span className={`badge badge-${task.status}`}>{task.status}</span>
        {task.error && <span className="field-error small"> {task.error}</span>}
      </td>
      <td>
        {task.attempts}/{task.max_attempts}
      </td>
      <td>{formatTime(task.run_at)}</td>
      <td>{formatTime(task.finished_at)}</td>
      <td className="result">
        {task.result !== null && task.result !== undefined ? <code>{JSON.stringify(task.result)}</code> : '—'}
      </td>
      <td>
        {!finished && task.status !== 'running' && (
          <button type="button" className="link danger" onClick={() => onCancel(task.id)}>
            Cancel<span className="visually-hidden"> task {task.id}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

/** The tasks submitted from this browser, newest first, each cancellable until it starts. */
export function TaskTable({ tasks, onCancel }: { tasks: Task[]; onCancel: (id: string) => void }) {
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Your tasks</h2>
      {tasks.length === 0 ? (
        <Empty>
          <p>No tasks submitted from this browser yet.</p>
        </Empty>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled
        <section className="table-scroll" tabIndex={0} aria-label="Your tasks (scrolls sideways)">
          <table className="tasks">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Runs at</th>
                <th scope="col">Finished</th>
                <th scope="col">Result</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {tasks.map((t) => (
                <TaskRow key={t.id} task={t} onCancel={onCancel} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
