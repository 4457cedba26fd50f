#include "ledger/EarningsBook.h"

#include "db/TransactionRetry.h"

#include <algorithm>

namespace reelgate::server::ledger {

std::vector<std::int64_t> EarningsBook::accountsFor(db::PgConnection& conn, accounts::UserId user,
                                                    const core::Currency& currency) {
    return {Ledger::userAccount(conn, AccountKind::EarningsPending, user, currency),
            Ledger::userAccount(conn, AccountKind::Earnings, user, currency),
            Ledger::userAccount(conn, AccountKind::Receivable, user, currency)};
}

void EarningsBook::credit(db::PgConnection& conn, std::map<std::int64_t, std::int64_t>& balances,
                          std::vector<Posting>& postings, std::vector<PendingHold>& holds,
                          accounts::UserId user, const core::Currency& currency,
                          std::int64_t amountMinor, const std::string& role) {
    if (amountMinor <= 0)
        return;
    const auto ids = accountsFor(conn, user, currency);
    const std::int64_t receivable = ids[2];
    const std::int64_t settle =
        std::min(amountMinor, -std::min<std::int64_t>(0, balances[receivable]));
    if (settle > 0) {
        postings.push_back({receivable, "settlement", settle});
        balances[receivable] += settle;
    }
    if (amountMinor > settle) {
        postings.push_back({ids[0], role, amountMinor - settle});
        balances[ids[0]] += amountMinor - settle;
        holds.push_back({user, amountMinor - settle});
    }
}

std::pair<std::string, std::string>
EarningsBook::holdArrays(const std::vector<PendingHold>& holds) {
    std::string users = "{", amounts = "{";
    for (const auto& hold : holds) {
        users += (users.size() > 1 ? "," : "") + std::to_string(hold.user.value);
        amounts += (amounts.size() > 1 ? "," : "") + std::to_string(hold.amountMinor);
    }
    return {users + "}", amounts + "}"};
}

std::string EarningsBook::holdsCte(const std::string& daysParam, const std::string& usersParam,
                                   const std::string& amountsParam) {
    return "h AS (INSERT INTO earnings_holds (user_id, currency, transaction_id, amount_minor, "
           "remaining_minor, release_at) SELECT h.user_id, $2::text, t.id, h.amount, h.amount, "
           "now() + make_interval(days => " +
           daysParam + "::int) FROM t, unnest(" + usersParam + "::bigint[], " + amountsParam +
           "::bigint[]) AS h(user_id, amount))";
}

std::int64_t EarningsBook::takeBack(db::PgConnection& conn,
                                    std::map<std::int64_t, std::int64_t>& balances,
                                    std::vector<Posting>& postings, accounts::UserId user,
                                    const core::Currency& currency,
                                    std::optional<std::int64_t> transactionId,
                                    std::int64_t amountMinor) {
    if (amountMinor <= 0)
        return 0;
    const auto ids = accountsFor(conn, user, currency);
    std::int64_t left = amountMinor;
    if (transactionId) {
        auto hold = conn.exec("SELECT id, remaining_minor FROM earnings_holds WHERE "
                              "transaction_id = $1 AND user_id = $2 AND released_at IS NULL "
                              "ORDER BY id LIMIT 1 FOR UPDATE",
                              {std::to_string(*transactionId), std::to_string(user.value)});
        if (hold.rows() > 0) {
            const std::int64_t taken =
                std::min({left, hold.int64(0, 1), std::max<std::int64_t>(0, balances[ids[0]])});
            if (taken > 0) {
                conn.exec("UPDATE earnings_holds SET remaining_minor = remaining_minor - $2 "
                          "WHERE id = $1",
                          {hold.text(0, 0), std::to_string(taken)});
                postings.push_back({ids[0], "reversal", -taken});
                balances[ids[0]] -= taken;
                left -= taken;
            }
        }
    }
    const std::int64_t available = std::min(left, std::max<std::int64_t>(0, balances[ids[1]]));
    if (available > 0) {
        postings.push_back({ids[1], "reversal", -available});
        balances[ids[1]] -= available;
        left -= available;
    }
    if (left > 0) {
        postings.push_back({ids[2], "receivable", -left});
        balances[ids[2]] -= left;
    }
    return left;
}

int EarningsBook::mature(db::PgPool& pool, std::optional<accounts::UserId> user) {
    auto conn = pool.acquire();
    return mature(*conn, user);
}

int EarningsBook::mature(db::PgConnection& connection, std::optional<accounts::UserId> user) {
    db::PgConnection* conn = &connection;
    auto due = conn->exec("SELECT DISTINCT user_id, currency FROM earnings_holds "
                          "WHERE released_at IS NULL AND release_at <= now() AND "
                          "($1::bigint IS NULL OR user_id = $1) LIMIT 1000",
                          {user ? db::SqlParam(std::to_string(user->value)) : std::nullopt});
    int moved = 0;
    for (int r = 0; r < due.rows(); ++r) {
        const accounts::UserId owner{due.int64(r, 0)};
        const auto currency = core::Currency::fromCode(due.text(r, 1));
        moved += db::retryTransientConflicts([&] {
            db::PgTransaction tx(*conn);
            const auto ids = accountsFor(*conn, owner, currency);
            Ledger::lockAccounts(*conn, {ids[0], ids[1]});
            auto holds = conn->exec("SELECT id, remaining_minor FROM earnings_holds "
                                    "WHERE user_id = $1 AND currency = $2 AND released_at IS NULL "
                                    "AND release_at <= now() ORDER BY id FOR UPDATE",
                                    {std::to_string(owner.value), std::string(currency.code())});
            std::int64_t sum = 0;
            std::string idList;
            for (int h = 0; h < holds.rows(); ++h) {
                sum += holds.int64(h, 1);
                idList += (idList.empty() ? "{" : ",") + holds.text(h, 0);
            }
            if (holds.rows() == 0)
                return 0;
            db::SqlParam txId;
            if (sum > 0)
                txId = std::to_string(
                    Ledger::post(*conn, "mature", currency, "Earnings past their hold",
                                 {{ids[0], "mature", -sum}, {ids[1], "mature", sum}}));
            conn->exec("UPDATE earnings_holds SET released_at = now(), released_by = $2 "
                       "WHERE id = ANY($1::bigint[])",
                       {idList + "}", txId});
            tx.commit();
            return 1;
        });
    }
    return moved;
}

} // namespace reelgate::server::ledger
