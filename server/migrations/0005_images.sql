-- Images of a profile. The bytes live in object storage under content-addressed keys (the sha256 of
-- the bytes), so one object may back several rows; an object is deleted only once no row names it.
CREATE TABLE images (
  id             uuid        PRIMARY KEY,
  -- No cascade: a profile's images are deleted by the statement that deletes it, which schedules the
  -- deletion of their objects too; a delete that missed one must fail rather than orphan its objects.
  profile_id     uuid        NOT NULL REFERENCES profiles (id),
  -- The public URL of the original as written into profiles.image_urls (removed from it by value).
  url            text        NOT NULL,
  content_type   text        NOT NULL,
  width          integer     NOT NULL CHECK (width > 0),
  height         integer     NOT NULL CHECK (height > 0),
  bytes          integer     NOT NULL CHECK (bytes > 0),
  original_key   text        NOT NULL,
  medium_key     text        NOT NULL,
  thumbnail_key  text        NOT NULL,
  created_at     timestamptz NOT NULL
);

-- A profile holds one image per content: uploading the same picture again returns the first.
CREATE UNIQUE INDEX images_profile_original_key ON images (profile_id, original_key);
-- A profile's gallery, newest first.
CREATE INDEX images_profile_created_idx ON images (profile_id, created_at DESC, id DESC);
-- "Does any image still name this object?", asked before an object is deleted.
CREATE INDEX images_original_key_idx ON images (original_key);
CREATE INDEX images_medium_key_idx ON images (medium_key);
CREATE INDEX images_thumbnail_key_idx ON images (thumbnail_key);
