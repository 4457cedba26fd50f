-- 0009: money out. Per user and currency the ledger now keeps four accounts:
--   wallet            deposited money (top-ups, operator credits, refunds of wallet purchases):
--                     spendable, never withdrawable
--   earnings_pending  sales, commissions and transfers received, still inside the hold period
--   earnings          earned money past its hold: spendable and withdrawable
--   withdrawal_held   money in a withdrawal awaiting payout (two-phase: earnings -> held)
-- and one receivable (<= 0): what the user owes the platform after a refund or dispute their
-- balances could not cover; their next earnings settle it first. Platform accounts: revenue
-- (fees), operator funding, and one clearing account per payment or payout provider.
-- earnings_holds says when each pending credit becomes available (a maturing step moves it:
-- idempotent, one balanced transaction per run). Withdrawals, transfers, refunds, payout details
-- (encrypted by the server) and the append-only admin audit log.

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_check;
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_check1;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('wallet', 'earnings_pending', 'earnings', 'withdrawal_held', 'receivable',
                    'platform_revenue', 'operator_funding')
           OR kind ~ '^clearing_[a-z]{2,20}$');
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_owner_check
    CHECK ((kind IN ('wallet', 'earnings_pending', 'earnings', 'withdrawal_held', 'receivable'))
           = (user_id IS NOT NULL));
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_sign_check
    CHECK (CASE WHEN kind IN ('wallet', 'earnings_pending', 'earnings', 'withdrawal_held')
                THEN balance_minor >= 0
                WHEN kind = 'receivable' THEN balance_minor <= 0
                ELSE true END);

ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
    CHECK (kind IN ('credit', 'purchase', 'deposit', 'checkout', 'refund', 'dispute', 'mature',
                    'withdrawal', 'withdrawal_release', 'payout', 'transfer'));

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_role_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_role_check
    CHECK (role IN ('credit', 'funding', 'purchase', 'sale', 'fee', 'commission', 'deposit',
                    'clearing', 'reversal', 'loss', 'receivable', 'settlement', 'mature', 'hold',
                    'release', 'payout', 'withdrawal_fee', 'transfer'));

CREATE TABLE earnings_holds (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    transaction_id  bigint NOT NULL REFERENCES ledger_transactions (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    remaining_minor bigint NOT NULL CHECK (remaining_minor >= 0), -- less after a reversal
    release_at      timestamptz NOT NULL,
    released_at     timestamptz,
    released_by     bigint REFERENCES ledger_transactions (id),   -- the maturing transaction
    CHECK (remaining_minor <= amount_minor)
);
CREATE INDEX earnings_holds_due ON earnings_holds (release_at) WHERE released_at IS NULL;
CREATE INDEX earnings_holds_transaction ON earnings_holds (transaction_id, user_id);

-- Encrypted with the server's key (AES-256-GCM); masked is what answers show.
CREATE TABLE payout_details (
    user_id    bigint PRIMARY KEY REFERENCES users (id),
    method     text NOT NULL CHECK (method IN ('bank', 'ewallet', 'paypal')),
    sealed     text NOT NULL,   -- base64url(nonce | ciphertext | tag)
    masked     jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE withdrawals (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id         text NOT NULL UNIQUE,
    user_id           bigint NOT NULL REFERENCES users (id),
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    fee_minor         bigint NOT NULL CHECK (fee_minor >= 0 AND fee_minor < amount_minor),
    currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    method            text NOT NULL,               -- payout method on file at request time
    status            text NOT NULL DEFAULT 'requested'
                      CHECK (status IN ('requested', 'approved', 'paid', 'rejected', 'failed')),
    via               text,                        -- xendit | paypal | manual
    reference         text NOT NULL DEFAULT '',    -- provider payout id or bank reference
    reason            text NOT NULL DEFAULT '',    -- rejection reason or last failure
    hold_transaction  bigint NOT NULL REFERENCES ledger_transactions (id),
    final_transaction bigint REFERENCES ledger_transactions (id),
    resolved_by       bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    CHECK ((status IN ('paid', 'rejected')) = (final_transaction IS NOT NULL))
);
CREATE INDEX withdrawals_user ON withdrawals (user_id, id DESC);
CREATE INDEX withdrawals_status ON withdrawals (status, id);

CREATE TABLE transfers (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id      text NOT NULL UNIQUE,
    from_user      bigint NOT NULL REFERENCES users (id),
    to_user        bigint NOT NULL REFERENCES users (id),
    amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
    currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (from_user <> to_user)
);
CREATE INDEX transfers_from ON transfers (from_user, created_at);

-- Admin refunds of purchases (the purchase row itself goes: access ends).
CREATE TABLE refunds (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id          text NOT NULL UNIQUE,
    purchase_public_id text NOT NULL UNIQUE,
    buyer_id           bigint NOT NULL REFERENCES users (id),
    video_id           bigint NOT NULL REFERENCES videos (id),
    amount_minor       bigint NOT NULL CHECK (amount_minor >= 0),
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    via                text NOT NULL,              -- wallet | the payment provider's name
    transaction_id     bigint REFERENCES ledger_transactions (id),
    reason             text NOT NULL,
    admin_id           bigint NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    admin_id bigint NOT NULL REFERENCES users (id),
    action   text NOT NULL,
    subject  text NOT NULL,
    note     text NOT NULL,
    details  jsonb NOT NULL DEFAULT '{}'
);
CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

INSERT INTO platform_settings (key, value) VALUES
    ('withdrawal_min_minor', '{"USD": 1000}'),
    ('withdrawal_fee_minor', '{}'),
    ('earnings_hold_days', '7'),
    ('transfers_enabled', 'false'),
    ('transfer_daily_limit_minor', '{"USD": 10000}')
ON CONFLICT (key) DO NOTHING;
