-- Search (`GET /api/v1/profiles?q=`) is a case-insensitive substring match on the name (and, for
-- admins, the email). Without an index every search reads the whole table; trigram indexes let
-- ILIKE '%q%' read only the rows sharing q's trigrams. pg_trgm is a trusted extension: the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX profiles_name_trgm_idx ON profiles USING gin (name gin_trgm_ops);
CREATE INDEX profiles_email_trgm_idx ON profiles USING gin (email gin_trgm_ops);
