-- The W3C traceparent of the request (or task attempt) that wrote a row, so the work it causes
-- later in another process (publishing a due task, relaying an event) continues that trace. Null
-- when nothing was traced.
ALTER TABLE tasks ADD COLUMN traceparent text;
ALTER TABLE outbox_events ADD COLUMN traceparent text;
