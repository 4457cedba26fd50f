#pragma once
// Test support: the double-entry ledger's invariants, read straight from the database of a
// Marketplace: every transaction sums to zero, every cached (user) balance equals the sum of
// its entries, no wallet is negative, and all the money in the system adds up to zero (operator
// funding and provider clearing accounts mirror every credit; system accounts keep no balance
// row since sql/0015: theirs is the sum of their entries). QCOMPARE-based: call it from a
// test function and return when QTest::currentTestFailed().

#include "Marketplace.h"

#include <QTest>

namespace reelgate::test {

inline void verifyLedgerInvariants(Marketplace& market) {
    QCOMPARE(market.sql("SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries "
                        "GROUP BY 1 HAVING sum(amount_minor) <> 0) t"),
             QString("0"));
    QCOMPARE(market.sql("SELECT count(*) FROM ledger_accounts a WHERE user_id IS NOT NULL AND "
                        "balance_minor <> "
                        "coalesce((SELECT sum(amount_minor) FROM ledger_entries e "
                        "WHERE e.account_id = a.id), 0)"),
             QString("0"));
    QCOMPARE(market.sql("SELECT count(*) FROM ledger_accounts WHERE kind = 'wallet' AND "
                        "balance_minor < 0"),
             QString("0"));
    QCOMPARE(market.sql("SELECT coalesce(sum(CASE WHEN user_id IS NULL THEN (SELECT "
                        "coalesce(sum(amount_minor), 0) FROM ledger_entries e WHERE "
                        "e.account_id = a.id) ELSE balance_minor END), 0) FROM ledger_accounts a"),
             QString("0"));
}

} // namespace reelgate::test
