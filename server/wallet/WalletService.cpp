#include "wallet/WalletService.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "db/TransactionRetry.h"
#include "ledger/EarningsBook.h"
#include "ledger/Ledger.h"
#include "ledger/MoneyBalances.h"
#include "reelgate/core/Text.h"
#include "settings/PlatformSettings.h"

namespace reelgate::server::wallet {

using nlohmann::json;

namespace {
// What a user reads as their history: money in and out of what they hold (deposited, pending,
// available), without the internal moves (a hold maturing, a withdrawal's held half).
const std::string kHistoryEntries =
    "a.kind IN ('wallet', 'earnings_pending', 'earnings') AND e.role <> 'mature'";
} // namespace

core::Money WalletService::credit(const std::string& username, const core::Money& amount,
                                  const std::string& memo) {
    if (amount.amountMinor() <= 0)
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_amount",
                           "A credit must be more than zero.");
    if (core::checkText(memo, {.maxChars = 500}) != core::TextProblem::None)
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_memo",
                           "The memo is text of at most 500 characters.");
    auto conn = pool_.acquire();
    return db::retryTransientConflicts([&] {
        db::PgTransaction tx(*conn);
        auto user =
            conn->exec("SELECT id FROM users WHERE lower(username) = lower($1)", {username});
        if (user.rows() == 0)
            throw ServiceError(ServiceError::Kind::NotFound, "not_found",
                               "There is no user '" + core::printable(username, 64) + "'.");
        const accounts::UserId id{user.int64(0, 0)};
        const auto currency = amount.currency();
        const std::int64_t walletId = ledger::Ledger::walletAccount(*conn, id, currency);
        const std::int64_t fundingId =
            ledger::Ledger::systemAccount(*conn, ledger::AccountKind::OperatorFunding, currency);
        ledger::Ledger::post(*conn, "credit", currency, memo.empty() ? "Operator credit" : memo,
                             {{walletId, "credit", amount.amountMinor()},
                              {fundingId, "funding", -amount.amountMinor()}});
        const std::int64_t balance = ledger::Ledger::lockBalance(*conn, walletId);
        tx.commit();
        return core::Money(balance, currency);
    });
}

json WalletService::balances(accounts::UserId user) {
    ledger::EarningsBook::mature(pool_, user);
    auto conn = pool_.acquire();
    json out = ledger::MoneyBalances::balancesJson(*conn, user);
    const auto snapshot = settings_.snapshot();
    for (auto& entry : out) {
        const auto currency = core::Currency::fromCode(entry["currency"].get<std::string>());
        entry["withdrawal_min"] =
            settings::moneyJson(core::Money(snapshot->withdrawalMinimum(currency), currency));
        entry["withdrawal_fee"] =
            settings::moneyJson(core::Money(snapshot->withdrawalFee(currency), currency));
    }
    return out;
}

json WalletService::history(accounts::UserId user, int limit, int offset) {
    if (limit < 1 || limit > 200 || offset < 0)
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_request",
                           "limit is 1..200 and offset 0 or more.");
    auto conn = pool_.acquire();
    const std::string userId = std::to_string(user.value);
    auto rows = conn->exec("SELECT e.id, " + db::isoUtc("t.created_at") +
                               ", e.role, e.amount_minor, a.currency, t.memo, v.public_id, v.title "
                               "FROM ledger_entries e "
                               "JOIN ledger_accounts a ON a.id = e.account_id "
                               "JOIN ledger_transactions t ON t.id = e.transaction_id "
                               "LEFT JOIN purchases p ON p.transaction_id = t.id "
                               "LEFT JOIN videos v ON v.id = p.video_id "
                               "WHERE a.user_id = $1 AND " +
                               kHistoryEntries +
                               " "
                               "ORDER BY e.id DESC LIMIT $2 OFFSET $3",
                           {userId, std::to_string(limit), std::to_string(offset)});
    json entries = json::array();
    for (int r = 0; r < rows.rows(); ++r) {
        const core::Money amount(rows.int64(r, 3), core::Currency::fromCode(rows.text(r, 4)));
        entries.push_back({{"id", rows.int64(r, 0)},
                           {"created_at", rows.text(r, 1)},
                           {"kind", rows.text(r, 2)},
                           {"amount", settings::moneyJson(amount)},
                           {"memo", rows.text(r, 5)},
                           {"video", rows.isNull(r, 6) ? json()
                                                       : json{{"id", rows.text(r, 6)},
                                                              {"title", rows.text(r, 7)}}}});
    }
    auto total = conn->exec("SELECT count(*) FROM ledger_entries e JOIN ledger_accounts a "
                            "ON a.id = e.account_id WHERE a.user_id = $1 AND " +
                                kHistoryEntries,
                            {userId});
    return {{"entries", entries}, {"total", total.int64(0, 0)}};
}

} // namespace reelgate::server::wallet
