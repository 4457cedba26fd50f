#pragma once
// Withdrawals of available earnings, two-phase. request(): the amount moves at once from the
// user's earnings to withdrawal_held (minimum and fee from the settings; payout details must be
// on file; Idempotency-Key). An admin resolves it at most once (the row is locked and its
// status checked in the same transaction, so racing approve and reject cannot both win):
//   reject  -> held back to earnings, status rejected, the reason kept;
//   manual  -> held to the bank clearing account (net) and the platform's revenue (fee),
//              status paid, the bank reference kept;
//   xendit | paypal -> status approved (claimed), the provider called outside any
//              transaction, then paid (held -> the provider's clearing account and the fee)
//              or failed: the hold stays, the provider's reason is kept, and the admin may
//              approve again (the same reference: the provider pays once) or reject.
// Every admin action is written to the audit log in its transaction.

#include "accounts/User.h"
#include "db/PgPool.h"
#include "money/PayoutDetails.h"
#include "payouts/PayoutProvider.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace reelgate::server::money {

struct WithdrawalDecision {
    std::string via; // xendit | paypal | manual (approve only)
    std::string reference;
    std::string note;
};

class WithdrawalService {
public:
    WithdrawalService(db::PgPool& pool, settings::PlatformSettings& settings,
                      PayoutDetails& details)
        : pool_(pool)
        , settings_(settings)
        , details_(details) {}

    void addPayoutProvider(std::unique_ptr<payouts::PayoutProvider> provider);

    // {status 201 or 200 (replay), body: the withdrawal}. ServiceError: invalid_amount,
    // below_minimum (422), payout_details_required (409), insufficient_funds (402).
    std::pair<int, nlohmann::json> request(accounts::UserId user, const core::Money& amount,
                                           const std::string& idempotencyKey);
    nlohmann::json list(accounts::UserId user, int limit, int offset);
    nlohmann::json adminList(const std::string& status, int limit, int offset);
    // ServiceError: not_found, already_resolved (409), payout_unavailable (409),
    // payout_failed (409: the provider refused or was unreachable; the hold stays).
    nlohmann::json approve(const std::string& publicId, accounts::UserId admin,
                           const WithdrawalDecision& decision);
    nlohmann::json reject(const std::string& publicId, accounts::UserId admin,
                          const std::string& reason);

private:
    nlohmann::json toJson(db::PgConnection& conn, const std::string& where,
                          const std::vector<db::SqlParam>& params, int limit, int offset);
    nlohmann::json one(db::PgConnection& conn, const std::string& publicId);
    // Posts held -> clearing_<account> (net) + fee, status paid; inside the caller's tx.
    void payOut(db::PgConnection& conn, const std::string& publicId, const std::string& via,
                const std::string& clearing, const std::string& reference);

    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
    PayoutDetails& details_;
    std::map<std::string, std::unique_ptr<payouts::PayoutProvider>> providers_;
};

} // namespace reelgate::server::money
