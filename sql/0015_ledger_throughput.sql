-- 0015: purchase throughput (issue 14). System accounts (user_id NULL: platform revenue,
-- operator funding, clearing_*) keep no running balance: their balance is the sum of their
-- entries, computed when read, so a purchase locks only the buyer's and the payees' rows.
-- Their balance_minor is 0 from here on and means nothing.
UPDATE ledger_accounts SET balance_minor = 0 WHERE user_id IS NULL;

-- Balanced check once per transaction per statement instead of once per entry at commit:
-- Ledger::post inserts a transaction's entries in one statement; any statement that inserts
-- entries leaves every transaction it touched summing to zero in its own currency.
DROP TRIGGER ledger_entries_balanced ON ledger_entries;
DROP FUNCTION ledger_check_balanced();
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT e.transaction_id, sum(e.amount_minor) AS total,
           count(*) FILTER (WHERE a.currency <> t.currency) AS foreign_entries
      INTO bad
      FROM ledger_entries e
      JOIN ledger_accounts a ON a.id = e.account_id
      JOIN ledger_transactions t ON t.id = e.transaction_id
     WHERE e.transaction_id IN (SELECT DISTINCT transaction_id FROM inserted)
     GROUP BY e.transaction_id
    HAVING sum(e.amount_minor) <> 0 OR count(*) FILTER (WHERE a.currency <> t.currency) > 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %) or mixes currencies',
            bad.transaction_id, bad.total;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_balanced();
