-- Outbox for domain events: written in the same statement as the change they describe, relayed to
-- the broker's topic exchange by the worker, deleted once the broker confirmed them.
CREATE TABLE outbox_events (
  id          bigserial   PRIMARY KEY,
  routing_key text        NOT NULL,
  payload     jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
