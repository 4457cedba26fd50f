// WithdrawalService: the providers' payout notifications (Xendit disbursement callbacks,
// PayPal PAYMENT.PAYOUTS-ITEM.*). See WithdrawalService.h and sql/0017 (payout_events).
#include "money/WithdrawalService.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/TransactionRetry.h"

#include <optional>

namespace reelgate::server::money {

using payouts::PayoutResult;
using payouts::PayoutState;
using Kind = ServiceError::Kind;

std::string WithdrawalService::applyNotification(const std::string& via,
                                                 const payments::IncomingNotification& n) {
    if (!providers_.contains(via))
        throw ServiceError(Kind::NotFound, "not_found", "No payouts go through " + via + ".");
    auto& rail = *providers_.at(via);
    const payouts::PayoutNotice notice = rail.verifyNotification(n);
    payments::requireNotificationText(notice.eventId, "event id", 200);
    payments::requireNotificationText(notice.payoutId, "payout id", 200, true);
    payments::requireNotificationText(notice.key, "payout key", 200, true);
    const auto record = [&](db::PgConnection& conn, const std::string& withdrawalId,
                            const std::string& outcome) {
        // false: this event was recorded already (a replay, or a racing delivery).
        return conn.exec("INSERT INTO payout_events (provider, event_id, withdrawal_id, "
                         "outcome, raw) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING "
                         "RETURNING 1",
                         {via, notice.eventId,
                          withdrawalId.empty() ? db::SqlParam() : db::SqlParam(withdrawalId),
                          outcome, n.body})
                   .rows() == 1;
    };
    // Ours when the provider's id is the one we were given, or the key the attempt was sent
    // under (an answer we never read). "" when the event is recorded already.
    const auto found = inTransaction([&](db::PgConnection& conn) -> std::optional<db::PgResult> {
        if (conn.exec("SELECT 1 FROM payout_events WHERE provider = $1 AND event_id = $2",
                      {via, notice.eventId})
                .rows() > 0)
            return std::nullopt;
        return conn.exec("SELECT id, public_id FROM withdrawals WHERE $2 <> '' AND via = $1 "
                         "AND (reference = $2 OR (payout_key = $3 AND status = 'approved')) "
                         "ORDER BY id DESC LIMIT 1",
                         {via, notice.payoutId, notice.key});
    });
    if (!found)
        return "duplicate";
    if (found->rows() == 0) {
        const std::string outcome = notice.payoutId.empty() ? "ignored" : "unknown_payout";
        return inTransaction([&](db::PgConnection& conn) { return record(conn, "", outcome); })
                   ? outcome
                   : "duplicate";
    }
    const std::string rowId = found->text(0, 0);
    const std::string publicId = found->text(0, 1);
    const PayoutResult state = rail.status(notice.payoutId);
    if (state.state == PayoutState::Unknown)
        throw payments::ProviderError(state.reason);
    return inTransaction([&](db::PgConnection& conn) -> std::string {
        if (!record(conn, rowId, "pending"))
            return "duplicate";
        const WithdrawalRow w = WithdrawalRow::lock(conn, publicId);
        std::string outcome = "unchanged";
        if (w.status == "approved" && w.payoutKey == notice.key) {
            PayoutResult settled = state;
            settled.payoutId = notice.payoutId;
            outcome = settle(conn, publicId, w.payoutKey, settled).value("status", "unchanged");
        } else if (applyState(conn, publicId, state)) {
            outcome = state.state == PayoutState::Paid ? "paid" : "returned";
        }
        conn.exec("UPDATE payout_events SET outcome = $3 WHERE provider = $1 AND event_id = $2",
                  {via, notice.eventId, outcome});
        Log::info("payout notification " + notice.eventId + " from " + via + ": " + outcome);
        return outcome;
    });
}

} // namespace reelgate::server::money
