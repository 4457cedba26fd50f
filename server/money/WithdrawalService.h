#pragma once
// Withdrawals of available earnings, two-phase. request(): the amount moves at once from the
// user's earnings to withdrawal_held (minimum and fee from the settings; payout details must be
// on file; Idempotency-Key). An admin resolves it at most once (the row is locked and its
// status checked in the same transaction, so racing approve and reject cannot both win):
//   reject  -> held back to earnings, status rejected, the reason kept;
//   manual  -> held to the bank clearing account (net) and the platform's revenue (fee),
//              status paid, the bank reference kept;
//   xendit | paypal -> status approved with the attempt's key (wd_<id>_<n>, the provider's
//              idempotency key) and time written first, the provider called outside any
//              transaction, then (sql/0017 has the states):
//              accepted -> sent (held -> the provider's clearing account and the fee), later
//                 paid, or returned (the whole amount back to available earnings, once);
//              refused  -> failed: the hold stays, the reason is kept, and the admin may
//                 approve again (the next attempt's key) or reject;
//              no answer -> stays approved, "in doubt": retry() and recover() ask the provider
//                 again under the SAME key (it pays once), never under a new one.
// Every admin action is written to the audit log in its transaction; automatic steps are
// written in the approving admin's name with the note "automatic".
#include "accounts/User.h"
#include "db/PgPool.h"
#include "db/TransactionRetry.h"
#include "money/PayoutDetails.h"
#include "money/WithdrawalRow.h"
#include "payouts/PayoutProvider.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <chrono>
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
    // payout_failed (409: the provider refused; the hold stays), payout_in_doubt (409: no
    // answer; the withdrawal stays approved and is asked about again).
    nlohmann::json approve(const std::string& publicId, accounts::UserId admin,
                           const WithdrawalDecision& decision);
    nlohmann::json reject(const std::string& publicId, accounts::UserId admin,
                          const std::string& reason);
    // An in-doubt (approved) or sent withdrawal: asks its provider now. ServiceError:
    // not_found, not_in_doubt (409), payout_failed / payout_in_doubt (409).
    nlohmann::json retry(const std::string& publicId, accounts::UserId admin,
                         const std::string& note);
    // In-doubt withdrawals whose last attempt began at least `olderThan` ago are asked again;
    // sent ones are asked whether they were paid. Returns how many changed state.
    int recover(std::chrono::seconds olderThan);
    // A payout notification from `via` (WithdrawalService_Notices.cpp): authenticated by the
    // provider (payments::NotificationRejected), recorded once per provider event (a replay
    // answers "duplicate" and changes nothing), the payout's state fetched from the provider
    // (payments::ProviderError when it cannot be: not recorded, the provider retries) and
    // applied: an in-doubt attempt settles, a sent payout becomes paid or returned. Returns
    // the outcome. ServiceError not_found when `via` pays nothing here.
    std::string applyNotification(const std::string& via,
                                  const payments::IncomingNotification& notification);

private:
    nlohmann::json toJson(db::PgConnection& conn, const std::string& where,
                          const std::vector<db::SqlParam>& params, int limit, int offset);
    nlohmann::json one(db::PgConnection& conn, const std::string& publicId);
    // Posts held -> clearing_<clearing> (net) + fee, sets status (sent or paid) and reference;
    // inside the caller's transaction, the row locked.
    void payOut(db::PgConnection& conn, const WithdrawalRow& w, const std::string& clearing,
                const std::string& reference, const std::string& status);
    // Runs f(conn) in one transaction on a connection of its own, released before it returns
    // (no connection is held across a provider call); retried on transient conflicts.
    template <class F> auto inTransaction(F&& f) {
        auto conn = pool_.acquire();
        return db::retryTransientConflicts([&] {
            db::PgTransaction tx(*conn);
            auto result = f(*conn);
            tx.commit();
            return result;
        });
    }
    // WithdrawalService_Payouts.cpp
    nlohmann::json approveThroughProvider(const std::string& publicId, accounts::UserId admin,
                                          const WithdrawalDecision& decision);
    payouts::PayoutProvider& provider(const std::string& via);
    // attempt() then settle(); the row's JSON, or ServiceError payout_failed / payout_in_doubt.
    nlohmann::json attemptAndSettle(const WithdrawalRow& w, bool resume);
    // Calls the provider for the attempt under `key` (send, or resume after a lost answer).
    payouts::PayoutResult attempt(const WithdrawalRow& w, bool resume);
    // Applies an attempt's result when the row is still approved under `key`; the row's JSON.
    nlohmann::json settle(db::PgConnection& conn, const std::string& publicId,
                          const std::string& key, const payouts::PayoutResult& result);
    // sent -> paid, or -> returned (a balanced transaction back to earnings); false: no change.
    bool applyState(db::PgConnection& conn, const std::string& publicId,
                    const payouts::PayoutResult& result);

    db::PgPool& pool_;
    settings::PlatformSettings& settings_;
    PayoutDetails& details_;
    std::map<std::string, std::unique_ptr<payouts::PayoutProvider>> providers_;
};

} // namespace reelgate::server::money
