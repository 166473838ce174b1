-- Who may change what: a profile records the subject (the OpenID Provider's `sub`) that owns it,
-- a task the subject that submitted it. Rows from before have no owner: only admins may change them.
ALTER TABLE profiles ADD COLUMN owner_sub text;
-- A person owns at most one profile (the one `GET /api/v1/me` answers with).
CREATE UNIQUE INDEX profiles_owner_sub_key ON profiles (owner_sub) WHERE owner_sub IS NOT NULL;

ALTER TABLE tasks ADD COLUMN submitted_by text;
-- `GET /api/v1/tasks`: a caller's own tasks newest first, and everyone's for an admin.
CREATE INDEX tasks_submitter_page_idx ON tasks (submitted_by, created_at DESC, id DESC);
CREATE INDEX tasks_page_idx ON tasks (created_at DESC, id DESC);
-- Pruning finished tasks after their retention period.
CREATE INDEX tasks_finished_idx ON tasks (finished_at) WHERE finished_at IS NOT NULL;
-- Exports expire: found by age.
CREATE INDEX exports_created_idx ON exports (created_at);
