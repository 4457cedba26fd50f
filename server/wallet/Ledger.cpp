#include "wallet/Ledger.h"

#include "common/ServiceError.h"
#include "db/DbError.h"

#include <algorithm>
#include <stdexcept>

namespace reelgate::server::wallet {
namespace {

const char* kindName(AccountKind kind) {
    switch (kind) {
    case AccountKind::Wallet:
        return "wallet";
    case AccountKind::EarningsPending:
        return "earnings_pending";
    case AccountKind::Earnings:
        return "earnings";
    case AccountKind::WithdrawalHeld:
        return "withdrawal_held";
    case AccountKind::Receivable:
        return "receivable";
    case AccountKind::PlatformRevenue:
        return "platform_revenue";
    case AccountKind::OperatorFunding:
        return "operator_funding";
    case AccountKind::Invalid:
        break;
    }
    throw std::logic_error("ledger account kind not set");
}

std::int64_t account(db::PgConnection& conn, const char* kind, const db::SqlParam& user,
                     const core::Currency& currency) {
    const std::string code(currency.code());
    // Insert-or-read in one statement would hide the id on conflict; two steps are race-free
    // because the unique key makes the insert a no-op for a concurrent twin.
    conn.exec("INSERT INTO ledger_accounts (kind, user_id, currency) VALUES ($1, $2, $3) "
              "ON CONFLICT (kind, user_id, currency) DO NOTHING",
              {kind, user, code});
    auto rows = conn.exec("SELECT id FROM ledger_accounts WHERE kind = $1 AND "
                          "user_id IS NOT DISTINCT FROM $2 AND currency = $3",
                          {kind, user, code});
    return rows.int64(0, 0);
}

} // namespace

std::int64_t Ledger::walletAccount(db::PgConnection& conn, accounts::UserId user,
                                   const core::Currency& currency) {
    return account(conn, "wallet", std::to_string(user.value), currency);
}

std::int64_t Ledger::userAccount(db::PgConnection& conn, AccountKind kind, accounts::UserId user,
                                 const core::Currency& currency) {
    if (kind == AccountKind::PlatformRevenue || kind == AccountKind::OperatorFunding)
        throw std::logic_error("a system account belongs to no user");
    return account(conn, kindName(kind), std::to_string(user.value), currency);
}

std::int64_t Ledger::systemAccount(db::PgConnection& conn, AccountKind kind,
                                   const core::Currency& currency) {
    if (kind != AccountKind::PlatformRevenue && kind != AccountKind::OperatorFunding)
        throw std::logic_error("this account belongs to a user");
    return account(conn, kindName(kind), std::nullopt, currency);
}

std::int64_t Ledger::lockBalance(db::PgConnection& conn, std::int64_t accountId) {
    auto rows = conn.exec("SELECT balance_minor FROM ledger_accounts WHERE id = $1 FOR UPDATE",
                          {std::to_string(accountId)});
    return rows.int64(0, 0);
}

std::map<std::int64_t, std::int64_t> Ledger::lockAccounts(db::PgConnection& conn,
                                                          std::vector<std::int64_t> accountIds) {
    std::sort(accountIds.begin(), accountIds.end());
    accountIds.erase(std::unique(accountIds.begin(), accountIds.end()), accountIds.end());
    std::map<std::int64_t, std::int64_t> balances;
    for (const auto id : accountIds) // one at a time: the order is the point
        balances[id] = lockBalance(conn, id);
    return balances;
}

std::int64_t Ledger::post(db::PgConnection& conn, const std::string& kind,
                          const core::Currency& currency, const std::string& memo,
                          std::vector<Posting> postings) {
    std::erase_if(postings, [](const Posting& p) { return p.amountMinor == 0; });
    std::int64_t sum = 0;
    bool overflow = false;
    for (const auto& p : postings)
        overflow = overflow || __builtin_add_overflow(sum, p.amountMinor, &sum);
    if (overflow || sum != 0 || postings.empty())
        throw std::logic_error("ledger postings do not balance");
    std::sort(postings.begin(), postings.end(),
              [](const Posting& a, const Posting& b) { return a.accountId < b.accountId; });

    auto tx = conn.exec("INSERT INTO ledger_transactions (kind, currency, memo) "
                        "VALUES ($1, $2, $3) RETURNING id",
                        {kind, std::string(currency.code()), memo});
    const std::string txId = tx.text(0, 0);
    for (const auto& p : postings) {
        try {
            conn.exec("UPDATE ledger_accounts SET balance_minor = balance_minor + $2 "
                      "WHERE id = $1",
                      {std::to_string(p.accountId), std::to_string(p.amountMinor)});
        } catch (const db::DbError& e) {
            if (e.sqlState() == "23514") // check_violation: a user balance would go negative
                throw ServiceError(ServiceError::Kind::PaymentRequired, "insufficient_funds",
                                   "Your wallet does not hold enough for this.");
            throw;
        }
        conn.exec("INSERT INTO ledger_entries (transaction_id, account_id, role, amount_minor) "
                  "VALUES ($1, $2, $3, $4)",
                  {txId, std::to_string(p.accountId), p.role, std::to_string(p.amountMinor)});
    }
    return std::stoll(txId);
}

std::int64_t Ledger::clearingAccount(db::PgConnection& conn, const std::string& provider,
                                     const core::Currency& currency) {
    if (provider.size() < 2 || provider.size() > 20 ||
        !std::all_of(provider.begin(), provider.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        throw std::logic_error("not a provider name");
    return account(conn, ("clearing_" + provider).c_str(), std::nullopt, currency);
}

} // namespace reelgate::server::wallet
