#pragma once
// A withdrawal row locked for a decision (SELECT ... FOR UPDATE inside the caller's
// transaction), shared by WithdrawalService's files. Internal to money/.

#include "accounts/User.h"
#include "db/PgConnection.h"
#include "reelgate/core/Money.h"

#include <cstdint>
#include <string>

namespace reelgate::server::money {

struct WithdrawalRow {
    std::int64_t id = 0;
    std::string publicId;
    accounts::UserId user;
    core::Money amount = core::Money::zero(core::Currency::fromCode("USD"));
    std::int64_t feeMinor = 0;
    std::string status;
    std::string method;
    std::string via;
    std::string reference; // the provider's payout id once sent
    int payoutAttempt = 0;
    std::string payoutKey;
    accounts::UserId resolvedBy;   // the approving admin (0 before)
    bool attemptOlderThan = false; // see lock()'s olderThanSeconds

    // ServiceError not_found when there is none. olderThanSeconds: sets attemptOlderThan when
    // the last payout attempt started at least that long ago.
    static WithdrawalRow lock(db::PgConnection& conn, const std::string& publicId,
                              long olderThanSeconds = 0);
    // ServiceError already_resolved unless it may still be decided (requested, or failed).
    void requireOpen() const;
};

} // namespace reelgate::server::money
