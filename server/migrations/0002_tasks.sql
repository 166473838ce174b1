-- Tasks: the source of truth for delayed work; the broker is only the transport.
CREATE TABLE tasks (
  id            uuid        PRIMARY KEY,
  type          text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('scheduled', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
  payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  result        jsonb,
  error         text,
  attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer     NOT NULL CHECK (max_attempts >= 1),
  run_at        timestamptz NOT NULL,
  -- While queued or running: when the claim lapses and the scheduler hands the task out again.
  lease_until   timestamptz,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz
);

-- The scheduler's two questions: what is due, and whose lease has lapsed.
CREATE INDEX tasks_due_idx ON tasks (run_at) WHERE status = 'scheduled';
CREATE INDEX tasks_lease_idx ON tasks (lease_until) WHERE status IN ('queued', 'running');
