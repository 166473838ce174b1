-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): one row per caller and key. A request
-- claims its key here ('in_progress', with a lease) before it acts; the response is written in the
-- same transaction as the effect ('completed'), so a retry replays it and never repeats the effect.
-- A claim whose holder died is taken over by a retry once `lease_until` has passed; `token` fences
-- the holder, whose completion then matches no row and rolls its effect back.
CREATE TABLE idempotency_keys (
  owner_sub text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  token uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  lease_until timestamptz NOT NULL,
  status integer,
  headers jsonb,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_sub, key)
);

-- Keys live IDEMPOTENCY_TTL from their first claim: the retention pass deletes older ones by this.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
