-- Profiles: the system of record.
CREATE TABLE profiles (
  id          uuid        PRIMARY KEY,
  name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  email       text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
  bio         text        NOT NULL DEFAULT '' CHECK (char_length(bio) <= 1000),
  image_urls  text[]      NOT NULL DEFAULT '{}',
  version     integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Case-insensitive uniqueness: "Ada@x.io" and "ada@X.io" are the same address.
CREATE UNIQUE INDEX profiles_email_lower_key ON profiles (lower(email));

-- Keyset pagination, newest first: ORDER BY created_at DESC, id DESC with a (created_at, id) cursor.
CREATE INDEX profiles_created_at_id_idx ON profiles (created_at DESC, id DESC);
