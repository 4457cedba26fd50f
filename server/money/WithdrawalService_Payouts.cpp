// WithdrawalService: payouts through a provider, their recovery after a lost answer, and the
// provider's later word (sent -> paid or returned). See WithdrawalService.h and sql/0017.
#include "money/WithdrawalService.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/TransactionRetry.h"
#include "ledger/Ledger.h"
#include "money/AuditLog.h"
#include "payments/PaymentProvider.h"
#include "reelgate/core/Text.h"

#include <optional>

namespace reelgate::server::money {
namespace {

using nlohmann::json;
using payouts::PayoutResult;
using payouts::PayoutState;
using Kind = ServiceError::Kind;

constexpr std::size_t kReasonChars = 500;

std::string keyFor(const std::string& publicId, int attempt) {
    return "wd_" + publicId + "_" + std::to_string(attempt);
}

std::string clipped(const std::string& text) {
    return core::printable(text, kReasonChars);
}

} // namespace

payouts::PayoutProvider& WithdrawalService::provider(const std::string& via) {
    if (via != "xendit" && via != "paypal")
        throw ServiceError(Kind::Invalid, "invalid_request", "'via' is xendit, paypal or manual.");
    const auto found = providers_.find(via);
    if (found == providers_.end())
        throw ServiceError(Kind::Conflict, "payout_unavailable",
                           "Payouts through " + via + " are not configured on this server.");
    return *found->second;
}

json WithdrawalService::approveThroughProvider(const std::string& publicId, accounts::UserId admin,
                                               const WithdrawalDecision& d) {
    auto& rail = provider(d.via);
    // Claim it under this attempt's key before calling anyone: from here on a reject loses,
    // and a crash leaves a row that says what to ask the provider.
    const WithdrawalRow w = inTransaction([&](db::PgConnection& conn) {
        WithdrawalRow row = WithdrawalRow::lock(conn, publicId);
        row.requireOpen();
        if (!rail.supports(row.method))
            throw ServiceError(Kind::Conflict, "payout_unavailable",
                               d.via + " cannot pay to a " + row.method + " account.");
        row.payoutAttempt += 1;
        row.payoutKey = keyFor(publicId, row.payoutAttempt);
        row.via = d.via;
        row.resolvedBy = admin;
        conn.exec("UPDATE withdrawals SET status = 'approved', via = $2, resolved_by = $3, "
                  "payout_attempt = $4, payout_key = $5, payout_attempted_at = now(), "
                  "reason = '' WHERE id = $1",
                  {std::to_string(row.id), d.via, std::to_string(admin.value),
                   std::to_string(row.payoutAttempt), row.payoutKey});
        AuditLog::record(conn, admin, "withdrawal.approve", "withdrawal:" + publicId, d.note,
                         {{"via", d.via}, {"key", row.payoutKey}});
        return row;
    });
    return attemptAndSettle(w, false);
}

json WithdrawalService::attemptAndSettle(const WithdrawalRow& w, bool resume) {
    const PayoutResult result = attempt(w, resume);
    const json body = inTransaction(
        [&](db::PgConnection& conn) { return settle(conn, w.publicId, w.payoutKey, result); });
    if (result.state == PayoutState::Failed)
        throw ServiceError(Kind::Conflict, "payout_failed",
                           "The payout failed; the money stays held. " + result.reason);
    if (result.state == PayoutState::Unknown)
        throw ServiceError(Kind::Conflict, "payout_in_doubt",
                           "No answer from " + w.via + " (" + result.reason +
                               "); the withdrawal stays approved and is asked about again "
                               "under the same reference, so it is paid at most once.");
    return body;
}

PayoutResult WithdrawalService::attempt(const WithdrawalRow& w, bool resume) {
    auto& rail = provider(w.via);
    const auto opened = details_.open(w.user);
    if (!opened || opened->method != w.method) {
        const std::string why = "the payout details on file changed or cannot be read; ask the "
                                "user to enter them again";
        // A first attempt sent nothing; a resumed one may have: it stays in doubt.
        return {resume ? PayoutState::Unknown : PayoutState::Failed, "", why};
    }
    const payouts::PayoutRequest request{
        w.payoutKey, core::Money(w.amount.amountMinor() - w.feeMinor, w.amount.currency()),
        opened->method, opened->details, "Reelgate payout " + w.payoutKey};
    PayoutResult result = resume ? rail.resume(request) : rail.send(request);
    if (result.state != PayoutState::Pending && result.state != PayoutState::Paid)
        Log::warn("payout " + w.payoutKey + " through " + w.via + ": " +
                  (result.state == PayoutState::Failed ? "refused: " : "no answer: ") +
                  result.reason);
    return result;
}

json WithdrawalService::settle(db::PgConnection& conn, const std::string& publicId,
                               const std::string& key, const PayoutResult& result) {
    const WithdrawalRow w = WithdrawalRow::lock(conn, publicId);
    if (w.status != "approved" || w.payoutKey != key)
        return one(conn, publicId); // someone else settled this attempt
    const std::string subject = "withdrawal:" + publicId;
    switch (result.state) {
    case PayoutState::Pending:
    case PayoutState::Paid:
        payOut(conn, w, w.via, result.payoutId,
               result.state == PayoutState::Paid ? "paid" : "sent");
        break;
    case PayoutState::Failed:
        conn.exec("UPDATE withdrawals SET status = 'failed', reason = $2 WHERE id = $1",
                  {std::to_string(w.id), clipped(result.reason)});
        AuditLog::record(conn, w.resolvedBy, "withdrawal.payout_failed", subject,
                         clipped(result.reason), {{"via", w.via}, {"key", key}});
        break;
    case PayoutState::Unknown:
        conn.exec("UPDATE withdrawals SET reason = $2 WHERE id = $1",
                  {std::to_string(w.id), clipped("In doubt: " + result.reason)});
        break;
    }
    return one(conn, publicId);
}

json WithdrawalService::retry(const std::string& publicId, accounts::UserId admin,
                              const std::string& note) {
    const WithdrawalRow w = inTransaction([&](db::PgConnection& conn) {
        WithdrawalRow row = WithdrawalRow::lock(conn, publicId);
        if (row.status != "approved" && row.status != "sent")
            throw ServiceError(Kind::Conflict, "not_in_doubt",
                               "Only an approved payout without an answer, or a sent one, can "
                               "be asked about (this one is " +
                                   row.status + ").");
        if (row.status == "approved")
            conn.exec("UPDATE withdrawals SET payout_attempted_at = now() WHERE id = $1",
                      {std::to_string(row.id)});
        AuditLog::record(conn, admin, "withdrawal.retry", "withdrawal:" + publicId,
                         note.empty() ? "ask the provider" : clipped(note),
                         {{"via", row.via}, {"key", row.payoutKey}});
        return row;
    });
    if (w.status == "sent") {
        const PayoutResult state = provider(w.via).status(w.reference);
        return inTransaction([&](db::PgConnection& conn) {
            applyState(conn, publicId, state);
            return one(conn, publicId);
        });
    }
    return attemptAndSettle(w, true);
}

int WithdrawalService::recover(std::chrono::seconds olderThan) {
    const auto due = inTransaction([&](db::PgConnection& conn) {
        return conn.exec("SELECT public_id, status, coalesce(via, ''), reference FROM "
                         "withdrawals WHERE status IN ('approved', 'sent') AND "
                         "payout_attempted_at <= now() - make_interval(secs => $1) "
                         "ORDER BY id LIMIT 100",
                         {std::to_string(olderThan.count())});
    });
    int changed = 0;
    for (int i = 0; i < due.rows(); ++i) {
        const std::string publicId = due.text(i, 0);
        const std::string via = due.text(i, 2);
        if (!providers_.contains(via))
            continue;
        try {
            // Claim this round (another instance's pass, or a live call, skips it).
            const auto claimed = inTransaction([&](db::PgConnection& conn) {
                WithdrawalRow row =
                    WithdrawalRow::lock(conn, publicId, static_cast<long>(olderThan.count()));
                const bool mine =
                    (row.status == "approved" || row.status == "sent") && row.attemptOlderThan;
                if (mine)
                    conn.exec("UPDATE withdrawals SET payout_attempted_at = now() WHERE id = $1",
                              {std::to_string(row.id)});
                return mine ? std::optional<WithdrawalRow>(row) : std::nullopt;
            });
            if (!claimed)
                continue;
            if (claimed->status == "sent") {
                const PayoutResult state = provider(via).status(claimed->reference);
                changed += inTransaction([&](db::PgConnection& conn) {
                    return applyState(conn, publicId, state) ? 1 : 0;
                });
                continue;
            }
            const PayoutResult result = attempt(*claimed, true);
            inTransaction([&](db::PgConnection& conn) {
                return settle(conn, publicId, claimed->payoutKey, result);
            });
            if (result.state != PayoutState::Unknown) {
                ++changed;
                Log::info("payout of withdrawal " + publicId + " recovered after a lost answer");
            }
        } catch (const std::exception& e) {
            Log::warn("payout recovery of withdrawal " + publicId + ": " + e.what());
        }
    }
    return changed;
}

bool WithdrawalService::applyState(db::PgConnection& conn, const std::string& publicId,
                                   const PayoutResult& result) {
    const WithdrawalRow w = WithdrawalRow::lock(conn, publicId);
    if (w.status != "sent" ||
        (result.state != PayoutState::Paid && result.state != PayoutState::Failed))
        return false;
    const std::string subject = "withdrawal:" + publicId;
    if (result.state == PayoutState::Paid) {
        conn.exec("UPDATE withdrawals SET status = 'paid', resolved_at = now() WHERE id = $1",
                  {std::to_string(w.id)});
        return true;
    }
    // Returned after it left: the whole amount (the fee too) back to available earnings.
    const auto& currency = w.amount.currency();
    const std::int64_t earnings =
        ledger::Ledger::userAccount(conn, ledger::AccountKind::Earnings, w.user, currency);
    const std::int64_t out = ledger::Ledger::clearingAccount(conn, w.via, currency);
    const std::int64_t platform =
        ledger::Ledger::systemAccount(conn, ledger::AccountKind::PlatformRevenue, currency);
    ledger::Ledger::lockAccounts(conn, {earnings, out, platform});
    // Existing kinds and roles (a release of the withdrawal, reversals of its payout).
    const std::int64_t txId = ledger::Ledger::post(
        conn, "withdrawal_release", currency, "Withdrawal payout returned (" + w.via + ")",
        {{out, "reversal", -(w.amount.amountMinor() - w.feeMinor)},
         {platform, "reversal", -w.feeMinor},
         {earnings, "release", w.amount.amountMinor()}});
    conn.exec("UPDATE withdrawals SET status = 'returned', reason = $2, return_transaction = $3, "
              "resolved_at = now() WHERE id = $1",
              {std::to_string(w.id), clipped(result.reason), std::to_string(txId)});
    AuditLog::record(conn, w.resolvedBy, "withdrawal.payout_returned", subject, "automatic",
                     {{"via", w.via}, {"reason", clipped(result.reason)}});
    return true;
}

} // namespace reelgate::server::money
