-- 0018: purchase throughput, continued (issue 14). The two foreign keys of ledger_entries made
-- every entry run two referential checks, and the one on the account took a KEY SHARE lock on
-- the account's row: every purchase locked the platform revenue account's row that way, a row
-- all concurrent purchases shared again (a multixact rewritten on each one). The statement-level
-- check below now refuses what those keys refused (an entry whose account or transaction does
-- not exist), so the keys go; accounts can no longer be deleted (nothing ever deleted one).

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_transaction_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_id_fkey;

CREATE TRIGGER ledger_accounts_kept BEFORE DELETE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_accounts_not_truncated BEFORE TRUNCATE ON ledger_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Checked on the statement's new entries only: when every statement's new entries of a
-- transaction sum to zero, the transaction does (entries are never changed or deleted). Each
-- entry's account and transaction are looked up by primary key (a join would be planned as hash
-- joins over whole tables: the transition table has no statistics).
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT i.transaction_id, sum(i.amount_minor) AS total
      INTO bad
      FROM inserted i
     GROUP BY i.transaction_id
    HAVING sum(i.amount_minor) <> 0
        OR bool_or(NOT EXISTS (SELECT 1 FROM ledger_accounts a, ledger_transactions t
                                WHERE a.id = i.account_id AND t.id = i.transaction_id
                                  AND a.currency = t.currency))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %), mixes currencies or names a missing account or transaction',
            bad.transaction_id, bad.total;
    END IF;
    RETURN NULL;
END $$;
