import { Empty } from '@/components/states';
import { FINISHED, type Task } from '@/lib/api';
import { formatTime } from '@/lib/format';

/** An export's result names where to download it (through this origin's proxy, as the person). */
function TaskResult({ result }: { result: unknown }) {
  if (result === null || result === undefined) return '—';
  const url = (result as { url?: unknown }).url;
  if (typeof url === 'string' && url.startsWith('/api/v1/exports/')) return <a href={url}>Download export</a>;
  return <code>{JSON.stringify(result)}</code>;
}

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
        <TaskResult result={task.result} />
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

/** Tasks newest first, each cancellable until it starts. */
export function TaskTable({
  tasks,
  filtered,
  onCancel,
}: {
  tasks: Task[];
  filtered: boolean;
  onCancel: (id: string) => void;
}) {
  if (tasks.length === 0)
    return (
      <Empty>
        <p>{filtered ? 'No task matches these filters.' : 'No tasks yet.'}</p>
      </Empty>
    );
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled
    <section className="table-scroll" tabIndex={0} aria-label="Tasks (scrolls sideways)">
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
  );
}
