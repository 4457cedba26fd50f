-- 0003: videos (catalog entries with price and affiliate rate), free-access allowlists, and
-- resumable (tus) uploads of their packages.

CREATE TABLE videos (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,  -- unguessable id used in URLs
    creator_id      bigint NOT NULL REFERENCES users (id),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    price_minor     bigint NOT NULL CHECK (price_minor >= 0),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    affiliate_bps   integer NOT NULL DEFAULT 0 CHECK (affiliate_bps BETWEEN 0 AND 9000),
    visibility      text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'unlisted')),
    state           text NOT NULL DEFAULT 'draft'
                    CHECK (state IN ('draft', 'processing', 'published', 'failed', 'unpublished')),
    failure_reason  text,
    duration_ms     bigint,
    package_dir     text,                  -- relative to <data-dir>/videos once published
    poster_file     text,                  -- inside the package, when it has a poster
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz
);
CREATE INDEX videos_catalog ON videos (published_at DESC) WHERE state = 'published';
CREATE INDEX videos_creator ON videos (creator_id);

CREATE TABLE video_allowlist (
    video_id bigint NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (video_id, user_id)
);

CREATE TABLE uploads (
    id            text PRIMARY KEY,        -- random, part of the tus upload URL
    creator_id    bigint NOT NULL REFERENCES users (id),
    video_id      bigint NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    length_bytes  bigint NOT NULL CHECK (length_bytes > 0),
    offset_bytes  bigint NOT NULL DEFAULT 0 CHECK (offset_bytes BETWEEN 0 AND length_bytes),
    metadata      text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    completed_at  timestamptz
);
