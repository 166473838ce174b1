-- Profile exports made by the profile.export task, served by the API. One per task: re-running the
-- task overwrites its own export rather than adding another.
CREATE TABLE exports (
  id          uuid        PRIMARY KEY,
  profile_id  uuid        NOT NULL,
  content     jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
