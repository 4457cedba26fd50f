-- 0005: ingest attempts per upload. An upload whose ingest keeps failing (or keeps taking the
-- server down) is marked failed after a few attempts instead of being retried forever.
ALTER TABLE uploads ADD COLUMN ingest_attempts integer NOT NULL DEFAULT 0
    CHECK (ingest_attempts >= 0);
