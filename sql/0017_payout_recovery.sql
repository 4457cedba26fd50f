-- 0017: provider payouts that survive a crash, and what happens after the provider accepts one.
-- A provider payout is tried under a key derived from the withdrawal and its attempt number
-- (payout_key: the provider's idempotency key), written BEFORE the call; a withdrawal still
-- 'approved' after its attempt (the server died, the answer was lost) is "in doubt" and is
-- resolved by asking the provider again under the same key, so it is never paid twice.
--   approved -> sent (the provider accepted it: the money left through its clearing account)
--            -> paid (the provider confirmed it) or returned (it failed or came back: the whole
--               amount, fee included, goes back to the user's available earnings);
--   approved -> failed (refused: the hold stays; approving again uses the next attempt's key).
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_status_check;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_status_check
    CHECK (status IN ('requested', 'approved', 'sent', 'paid', 'rejected', 'failed', 'returned'));
-- (0009's unnamed checks: withdrawals_check is the fee's, withdrawals_check1 this one.)
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_check1;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_final_check
    CHECK ((status IN ('sent', 'paid', 'rejected', 'returned')) = (final_transaction IS NOT NULL));
ALTER TABLE withdrawals
    ADD COLUMN payout_attempt      integer NOT NULL DEFAULT 0,
    ADD COLUMN payout_key          text NOT NULL DEFAULT '',
    ADD COLUMN payout_attempted_at timestamptz,
    ADD COLUMN return_transaction  bigint REFERENCES ledger_transactions (id),
    ADD CHECK ((status = 'returned') = (return_transaction IS NOT NULL));
CREATE INDEX withdrawals_in_doubt ON withdrawals (payout_attempted_at) WHERE status = 'approved';
-- A provider's payout id names one withdrawal (webhooks find it by that id).
CREATE INDEX withdrawals_provider_reference ON withdrawals (via, reference)
    WHERE status IN ('sent', 'paid', 'returned');

-- Payout notifications (Xendit disbursement callbacks, PayPal PAYMENT.PAYOUTS-ITEM.*), kept
-- raw and unique on the provider's event id: a replay changes nothing.
CREATE TABLE payout_events (
    provider      text NOT NULL,
    event_id      text NOT NULL,
    withdrawal_id bigint REFERENCES withdrawals (id),
    outcome       text NOT NULL,
    raw           text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- Partial refunds (admin): a purchase is refunded in one or more parts whose sum is at most
-- its price; a part is claimed (row inserted, the purchase row locked) before the provider is
-- called and completed (completed_at) in the transaction that posts its reversal. Access ends
-- when the completed parts reach the price (the purchase row goes).
ALTER TABLE refunds DROP CONSTRAINT refunds_purchase_public_id_key;
CREATE INDEX refunds_purchase ON refunds (purchase_public_id);
ALTER TABLE refunds ADD COLUMN completed_at timestamptz;
UPDATE refunds SET completed_at = created_at;
