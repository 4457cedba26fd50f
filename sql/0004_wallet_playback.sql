-- 0004: the double-entry ledger (wallets, platform revenue, operator funding), purchases with
-- idempotency keys, display currencies with exchange rates, and playback sessions.

-- One account per (kind, owner, currency). User wallets never go negative; the operator
-- funding account is where operator credits come from (it goes negative by design: it mirrors
-- money received outside the platform).
CREATE TABLE ledger_accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('wallet', 'platform_revenue', 'operator_funding')),
    user_id       bigint REFERENCES users (id),
    currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    balance_minor bigint NOT NULL DEFAULT 0,
    CHECK ((kind = 'wallet') = (user_id IS NOT NULL)),
    CHECK (kind <> 'wallet' OR balance_minor >= 0),
    UNIQUE NULLS NOT DISTINCT (kind, user_id, currency)
);

CREATE TABLE ledger_transactions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('credit', 'purchase')),
    currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    memo       text NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
    account_id     bigint NOT NULL REFERENCES ledger_accounts (id),
    role           text NOT NULL
                   CHECK (role IN ('credit', 'funding', 'purchase', 'sale', 'fee', 'commission')),
    amount_minor   bigint NOT NULL CHECK (amount_minor <> 0)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id DESC);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

-- Every transaction sums to zero and stays in its own currency, checked at commit.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    foreign_entries integer;
BEGIN
    SELECT coalesce(sum(e.amount_minor), 0), count(*) FILTER (WHERE a.currency <> t.currency)
      INTO total, foreign_entries
      FROM ledger_entries e
      JOIN ledger_accounts a ON a.id = e.account_id
      JOIN ledger_transactions t ON t.id = e.transaction_id
     WHERE e.transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %)', NEW.transaction_id, total;
    END IF;
    IF foreign_entries > 0 THEN
        RAISE EXCEPTION 'ledger transaction % mixes currencies', NEW.transaction_id;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced
    AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- The ledger is append-only.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TABLE purchases (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id        text NOT NULL UNIQUE,
    buyer_id         bigint NOT NULL REFERENCES users (id),
    video_id         bigint NOT NULL REFERENCES videos (id),
    price_minor      bigint NOT NULL CHECK (price_minor >= 0),
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    fee_minor        bigint NOT NULL CHECK (fee_minor >= 0),
    commission_minor bigint NOT NULL CHECK (commission_minor >= 0),
    creator_minor    bigint NOT NULL CHECK (creator_minor >= 0),
    affiliate_id     bigint REFERENCES users (id),
    transaction_id   bigint REFERENCES ledger_transactions (id), -- null for a free video
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (buyer_id, video_id),
    CHECK (fee_minor + commission_minor + creator_minor = price_minor)
);
CREATE INDEX purchases_video ON purchases (video_id, created_at DESC);
CREATE INDEX purchases_affiliate ON purchases (affiliate_id, created_at DESC)
    WHERE affiliate_id IS NOT NULL;

-- A money-moving request replayed with the same key gets the first answer back.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash text NOT NULL,
    status       integer NOT NULL,
    response     jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Currencies prices are also shown in, and the admin-set rates into them (display only:
-- money moves in the video's own currency). rate = units of quote per one unit of base.
CREATE TABLE display_currencies (
    code     text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    position integer NOT NULL DEFAULT 0
);
CREATE TABLE exchange_rates (
    base       text NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
    quote      text NOT NULL CHECK (quote ~ '^[A-Z]{3}$'),
    rate       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (base, quote),
    CHECK (base <> quote)
);
INSERT INTO platform_settings (key, value) VALUES ('max_streams_per_user', '2');

CREATE TABLE playback_sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    text NOT NULL UNIQUE,  -- SHA-256 of the opaque id in /play/{id}/ URLs
    user_id       bigint NOT NULL REFERENCES users (id),
    video_id      bigint NOT NULL REFERENCES videos (id),
    forensic_code bigint NOT NULL CHECK (forensic_code BETWEEN 0 AND 4294967295),
    remote_addr   text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    UNIQUE (video_id, forensic_code)
);
CREATE INDEX playback_sessions_user ON playback_sessions (user_id, created_at)
    WHERE revoked_at IS NULL;
