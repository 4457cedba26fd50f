#pragma once
// The books, read-only: the trial balance (every account, and per currency a sum that is zero),
// platform revenue per day and currency, affiliate commissions, disputed payments, and a
// user's monthly statement. Knows the database, not HTTP.

#include "accounts/User.h"
#include "db/PgPool.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::money {

class MoneyReports {
public:
    explicit MoneyReports(db::PgPool& pool)
        : pool_(pool) {}

    nlohmann::json trialBalance();
    // from/to: YYYY-MM-DD (inclusive; ServiceError invalid_request otherwise).
    nlohmann::json revenue(const std::string& from, const std::string& to);
    nlohmann::json commissions(int limit, int offset);
    nlohmann::json disputes(int limit, int offset);
    // CSV: date, kind, description, amount, currency, balance (running, per currency, over
    // what the user holds: deposited, pending and available). month: YYYY-MM.
    std::string statement(accounts::UserId user, const std::string& month);

private:
    db::PgPool& pool_;
};

} // namespace reelgate::server::money
