-- 0001: platform settings, the first thing every feature reads.
-- Migrations are forward-only: never edit an applied file; add 0002_... instead.

CREATE TABLE platform_settings (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.]*$'),
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Platform fee on every sale, in basis points (1000 = 10%).
INSERT INTO platform_settings (key, value) VALUES ('platform_fee_bps', '1000');
