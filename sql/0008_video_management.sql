-- 0008: creators manage published videos. A deleted video leaves the catalog and the creator's
-- list but keeps its row and package (state 'unpublished', deleted_at set), so its buyers keep
-- watching it. package_sha256 (the SHA-256 of the package's manifest.json, which lists every
-- file's hash) guards against publishing the same package twice: one live video per package
-- and creator.

ALTER TABLE videos ADD COLUMN deleted_at timestamptz;
ALTER TABLE videos ADD COLUMN package_sha256 text CHECK (package_sha256 ~ '^[0-9a-f]{64}$');
CREATE UNIQUE INDEX videos_one_per_package ON videos (creator_id, package_sha256)
    WHERE deleted_at IS NULL AND package_sha256 IS NOT NULL;
