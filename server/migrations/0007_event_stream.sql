-- The event stream (GET /api/v1/events): relayed events are kept for a while instead of deleted,
-- so a client that reconnects is sent what it missed; `seq` numbers them in the order they were
-- published, which is the order clients see and resume from (Last-Event-ID).
CREATE SEQUENCE outbox_events_seq;
ALTER TABLE outbox_events ADD COLUMN seq bigint, ADD COLUMN relayed_at timestamptz;
CREATE UNIQUE INDEX outbox_events_seq_idx ON outbox_events (seq) WHERE seq IS NOT NULL;
CREATE INDEX outbox_events_pending_idx ON outbox_events (id) WHERE relayed_at IS NULL;
CREATE INDEX outbox_events_relayed_idx ON outbox_events (relayed_at) WHERE relayed_at IS NOT NULL;
