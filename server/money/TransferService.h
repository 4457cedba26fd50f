#pragma once
// Transfers between users: off unless the admin turns them on (settings transfers_enabled;
// many card processors forbid person-to-person money transmission), a daily limit per sender
// and currency over the last 24 hours, an Idempotency-Key, one ledger transaction with entries
// for both. The sender spends as for a purchase (deposited money first, then available
// earnings); the receiver gets deposited money: spendable, never withdrawable, so a transfer
// cannot turn card money into a bank payout.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reelgate::server::money {

class TransferService {
public:
    TransferService(db::PgPool& pool, settings::PlatformSettings& settings)
        : pool_(pool)
        , settings_(settings) {}

    // ServiceError: transfers_disabled (403), not_found, invalid_amount, cannot_send_to_self,
    // transfer_limit (422), insufficient_funds (402), idempotency errors.
    std::pair<int, nlohmann::json> send(accounts::UserId from, const std::string& toUsername,
                                        const core::Money& amount, const std::string& note,
                                        const std::string& idempotencyKey);

private:
    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
};

} // namespace reelgate::server::money
