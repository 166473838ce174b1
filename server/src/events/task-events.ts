// What a task's change of state emits: `task.<status>` with the task as its submitter sees it, and
// the submitter, so the event stream sends it to them (and admins) only. Written by the same
// statement as the change.

/**
 * The CTE body inserting one event per row of the CTE `t` (tasks just changed, every column);
 * `traceparent` is a SQL expression (a parameter: the context that changed the task).
 */
export const taskEventFrom = (t = 't', traceparent = 'NULL') =>
  `INSERT INTO outbox_events (routing_key, traceparent, payload)
   SELECT 'task.' || ${t}.status, ${traceparent}::text, jsonb_build_object(
     'id', ${t}.id, 'type', ${t}.type, 'status', ${t}.status, 'attempts', ${t}.attempts,
     'max_attempts', ${t}.max_attempts, 'run_at', ${t}.run_at, 'created_at', ${t}.created_at,
     'updated_at', ${t}.updated_at, 'started_at', ${t}.started_at, 'finished_at', ${t}.finished_at,
     'error', ${t}.error, 'result', ${t}.result, 'payload', ${t}.payload,
     'submitted_by', ${t}.submitted_by
   ) FROM ${t}`;

/** The field of a task event that says who may receive it; never sent on. */
export const TASK_EVENT_AUDIENCE = 'submitted_by';
