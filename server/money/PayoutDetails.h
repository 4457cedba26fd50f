#pragma once
// Where a user's withdrawals are paid: one method per user, sealed at rest (money/SecretBox,
// bound to the user id) and shown masked only.
//   bank:    {"account_name", "bank_name", "account_number", "swift" (optional)}
//   ewallet: {"provider" (OVO, DANA, GOPAY ...), "phone"}
//   paypal:  {"email"}
// Changing them takes the account's password (403 wrong_password) and mails the account's
// address. The plain details leave this class only towards a payout provider (open()).

#include "accounts/AccountsService.h"
#include "accounts/User.h"
#include "db/PgPool.h"
#include "money/SecretBox.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace reelgate::server::money {

struct OpenedDetails {
    std::string method;
    nlohmann::json details;
};

class PayoutDetails {
public:
    PayoutDetails(db::PgPool& pool, const SecretBox& box, accounts::AccountsService& accounts)
        : pool_(pool)
        , box_(box)
        , accounts_(accounts) {}

    // {"method": ... or null, "masked": {...}, "updated_at"}
    nlohmann::json get(accounts::UserId user);
    // ServiceError: invalid_details (400), wrong_password (403).
    nlohmann::json update(const accounts::User& user, const std::string& method,
                          const nlohmann::json& details, const std::string& password);
    // The method on file ("" when none).
    std::string methodOf(db::PgConnection& conn, accounts::UserId user);
    std::optional<OpenedDetails> open(accounts::UserId user);

private:
    db::PgPool& pool_;
    const SecretBox& box_;
    accounts::AccountsService& accounts_;
};

} // namespace reelgate::server::money
