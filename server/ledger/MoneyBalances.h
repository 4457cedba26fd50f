#pragma once
// What a user holds, per currency, read from their ledger accounts: deposited (spendable, not
// withdrawable), pending earnings (with the date the next hold ends), available earnings,
// held in withdrawals, and owed to the platform (a receivable).
//   total     = deposited + available + pending (the "balance" the wallet shows)
//   spendable = deposited + available

#include "accounts/User.h"
#include "db/PgConnection.h"
#include "reelgate/core/Money.h"

#include <nlohmann/json.hpp>

namespace reelgate::server::ledger {

class MoneyBalances {
public:
    // [{"amount_minor","currency","formatted" (total), "spendable","available","pending",
    //   "pending_until","held","deposited","owed"}], one per currency the user has accounts in.
    static nlohmann::json balancesJson(db::PgConnection& conn, accounts::UserId user);
};

} // namespace reelgate::server::ledger
