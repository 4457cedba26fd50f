-- 0007: money in. Deposits (two-phase: pending -> posted at most once, or voided), the raw
-- provider notifications (append-only, unique per provider and event), and the ledger kinds
-- they need: one clearing account per provider and currency (it goes negative by design: it
-- mirrors money the provider holds for the platform).

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('wallet', 'platform_revenue', 'operator_funding')
           OR kind ~ '^clearing_[a-z]{2,20}$');

ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
    CHECK (kind IN ('credit', 'purchase', 'deposit', 'checkout', 'refund', 'dispute'));

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_role_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_role_check
    CHECK (role IN ('credit', 'funding', 'purchase', 'sale', 'fee', 'commission', 'deposit',
                    'clearing', 'reversal', 'loss'));

CREATE TABLE deposits (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id           text NOT NULL UNIQUE,
    reference           text NOT NULL UNIQUE,   -- ours, sent to the provider (bank: the
                                                -- code the payer writes on the transfer)
    user_id             bigint NOT NULL REFERENCES users (id),
    provider            text NOT NULL CHECK (provider ~ '^[a-z]{2,20}$'),
    purpose             text NOT NULL CHECK (purpose IN ('topup', 'checkout')),
    video_id            bigint REFERENCES videos (id),
    referrer            text NOT NULL DEFAULT '',
    -- What reaches the wallet (or pays the video), in its own currency.
    amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- What the provider charges: the same, or converted at the rate locked at creation.
    charge_amount_minor bigint NOT NULL CHECK (charge_amount_minor > 0),
    charge_currency     text NOT NULL CHECK (charge_currency ~ '^[A-Z]{3}$'),
    exchange_rate       text,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'posted', 'voided', 'refunded', 'disputed')),
    status_reason       text NOT NULL DEFAULT '',
    provider_payment_id text NOT NULL DEFAULT '', -- checkout session, order, invoice id
    provider_charge_id  text NOT NULL DEFAULT '', -- payment intent / capture, once paid
    redirect_url        text NOT NULL DEFAULT '',
    instructions        text NOT NULL DEFAULT '',
    reversed_minor      bigint NOT NULL DEFAULT 0, -- of the charge, refunded or disputed
    flagged             boolean NOT NULL DEFAULT false,
    admin_note          text NOT NULL DEFAULT '' CHECK (length(admin_note) <= 500),
    transaction_id      bigint REFERENCES ledger_transactions (id),
    purchase_id         bigint REFERENCES purchases (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    settled_at          timestamptz,
    CHECK ((purpose = 'checkout') = (video_id IS NOT NULL)),
    CHECK ((status = 'pending') = (settled_at IS NULL))
);
CREATE INDEX deposits_user ON deposits (user_id, id DESC);
CREATE INDEX deposits_pending ON deposits (created_at) WHERE status = 'pending';
CREATE INDEX deposits_charge ON deposits (provider, provider_charge_id)
    WHERE provider_charge_id <> '';

-- Every authenticated notification as it arrived, with what we made of it.
CREATE TABLE payment_notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider    text NOT NULL,
    event_id    text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 300),
    deposit_id  bigint REFERENCES deposits (id),
    status      text NOT NULL,       -- normalised: pending, paid, failed, expired, refunded ...
    outcome     text NOT NULL,       -- what it did: posted, voided, ignored, mismatch ...
    flagged     boolean NOT NULL DEFAULT false,
    raw_body    text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, event_id)
);
CREATE INDEX payment_notifications_deposit ON payment_notifications (deposit_id, id);
CREATE TRIGGER payment_notifications_append_only
    BEFORE UPDATE OR DELETE ON payment_notifications
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
