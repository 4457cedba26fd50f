#pragma once
// Wallets: balances per currency (deposited, pending and available earnings, held), the history of
// a wallet, and operator credits (money paid to the operator outside the platform, recorded against
// the operator funding account). Knows the database, not HTTP. Thread-safe.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "reelgate/core/Money.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace reelgate::server::wallet {

class WalletService {
public:
    WalletService(db::PgPool& pool, settings::PlatformSettings& settings)
        : pool_(pool)
        , settings_(settings) {}

    // Credits `amount` (> 0) to the wallet of `username`; returns the new balance.
    // ServiceError NotFound for an unknown user, Invalid for a non-positive amount.
    core::Money credit(const std::string& username, const core::Money& amount,
                       const std::string& memo);
    // Per currency: ledger/MoneyBalances (due holds are matured first), plus "withdrawal_min"
    // and "withdrawal_fee" (money) so a withdrawal form can show the fee and net before sending.
    nlohmann::json balances(accounts::UserId user);
    // {"entries":[{id, created_at, kind, amount, memo, video}], "total"}; newest first.
    nlohmann::json history(accounts::UserId user, int limit, int offset);

private:
    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
};

} // namespace reelgate::server::wallet
