-- 0010: the buyer's side of the store. Watch history (one row per viewer and video, the
-- position they reached, so a video opens where they left it on any device); creator profiles
-- (shown on /c/{username}; the avatar is the initials of the name); texts the admin sets for
-- every visitor (terms, privacy, refund policy).

CREATE TABLE watch_history (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    video_id    bigint NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    position_ms bigint NOT NULL CHECK (position_ms >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, video_id)
);
CREATE INDEX watch_history_recent ON watch_history (user_id, updated_at DESC);

CREATE TABLE creator_profiles (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    display_name text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 60),
    bio          text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 2000),
    links        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(links) = 'array'),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE site_texts (
    key        text PRIMARY KEY CHECK (key IN ('terms', 'privacy', 'refund_policy')),
    body       text NOT NULL CHECK (char_length(body) <= 20000),
    updated_at timestamptz NOT NULL DEFAULT now()
);
