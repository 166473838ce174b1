import type { TaskType } from '@/lib/api';
import { TASK_STATUSES, type TaskFilters } from '@/lib/hooks/use-task-filters';

/** Which tasks the list shows: by status, by type, or all. */
export function TaskFilterBar({
  filters,
  types,
  onChange,
}: {
  filters: TaskFilters;
  types: readonly TaskType[];
  onChange: <K extends keyof TaskFilters>(name: K, value: TaskFilters[K]) => void;
}) {
  return (
    <search className="filters">
      <div className="field">
        <label htmlFor="filter-status">Filter by status</label>
        <select
          id="filter-status"
          value={filters.status}
          onChange={(e) => onChange('status', e.target.value as TaskFilters['status'])}
        >
          <option value="">Any status</option>
          {TASK_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-type">Filter by type</label>
        <select id="filter-type" value={filters.type} onChange={(e) => onChange('type', e.target.value)}>
          <option value="">Any type</option>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
    </search>
  );
}
