-- 0011: what a creator keeps editing after publishing, beside the package: the visible
-- watermark design the player draws (NULL = the package's own design) and the free preview
-- (the first preview_seconds of the video for anyone, 0 = none). A replaced poster is a new file
-- in the package folder named by videos.poster_file, so it needs no column here.

CREATE TABLE video_media (
    video_id        bigint PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    watermark       jsonb CHECK (watermark IS NULL OR jsonb_typeof(watermark) = 'object'),
    preview_seconds integer NOT NULL DEFAULT 0 CHECK (preview_seconds BETWEEN 0 AND 120),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
