#include "money/WithdrawalService.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "db/TransactionRetry.h"
#include "ledger/EarningsBook.h"
#include "ledger/IdempotencyKeys.h"
#include "ledger/Ledger.h"
#include "money/AuditLog.h"
#include "money/WithdrawalRow.h"
#include "payments/PaymentProvider.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/Text.h"

namespace reelgate::server::money {
namespace {

using nlohmann::json;
using Kind = ServiceError::Kind;
using ledger::AccountKind;
using ledger::Ledger;

void requireNote(const std::string& text, const char* what) {
    if (core::checkText(text, {.maxChars = 500, .allowEmpty = false}) != core::TextProblem::None)
        throw ServiceError(Kind::Invalid, "invalid_request",
                           std::string("Give ") + what + " (1 to 500 characters of text).");
}

} // namespace

void WithdrawalRow::requireOpen() const {
    if (status != "requested" && status != "failed")
        throw ServiceError(Kind::Conflict, "already_resolved",
                           "This withdrawal was already " + status + ".");
}

WithdrawalRow WithdrawalRow::lock(db::PgConnection& conn, const std::string& publicId,
                                  long olderThanSeconds) {
    auto r = conn.exec(
        "SELECT id, user_id, amount_minor, currency, fee_minor, status, method, coalesce(via, ''), "
        "reference, payout_attempt, payout_key, coalesce(resolved_by, 0), "
        "coalesce(payout_attempted_at <= now() - make_interval(secs => $2), true) "
        "FROM withdrawals WHERE public_id = $1 FOR UPDATE",
        {publicId, std::to_string(olderThanSeconds)});
    if (r.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no such withdrawal.");
    WithdrawalRow w;
    w.id = r.int64(0, 0);
    w.publicId = publicId;
    w.user = accounts::UserId{r.int64(0, 1)};
    w.amount = core::Money(r.int64(0, 2), core::Currency::fromCode(r.text(0, 3)));
    w.feeMinor = r.int64(0, 4);
    w.status = r.text(0, 5);
    w.method = r.text(0, 6);
    w.via = r.text(0, 7);
    w.reference = r.text(0, 8);
    w.payoutAttempt = static_cast<int>(r.int64(0, 9));
    w.payoutKey = r.text(0, 10);
    w.resolvedBy = accounts::UserId{r.int64(0, 11)};
    w.attemptOlderThan = r.text(0, 12) == "t";
    return w;
}

void WithdrawalService::addPayoutProvider(std::unique_ptr<payouts::PayoutProvider> provider) {
    const std::string name = provider->name();
    providers_[name] = std::move(provider);
}

std::pair<int, json> WithdrawalService::request(accounts::UserId user, const core::Money& amount,
                                                const std::string& idempotencyKey) {
    ledger::IdempotencyKeys::require(idempotencyKey);
    if (amount.amountMinor() <= 0)
        throw ServiceError(Kind::Invalid, "invalid_amount", "A withdrawal is more than zero.");
    const auto settings = settings_.snapshot();
    const auto& currency = amount.currency();
    const std::int64_t minimum = settings->withdrawalMinimum(currency);
    const std::int64_t fee = settings->withdrawalFee(currency);
    const std::string userId = std::to_string(user.value);
    const std::string requestHash = core::sha256Hex("withdrawal\n" + amount.toJson().dump());
    ledger::EarningsBook::mature(pool_, user);
    auto conn = pool_.acquire();
    return db::retryTransientConflicts([&]() -> std::pair<int, json> {
        db::PgTransaction tx(*conn);
        const std::int64_t earnings =
            ledger::Ledger::userAccount(*conn, ledger::AccountKind::Earnings, user, currency);
        const std::int64_t held =
            ledger::Ledger::userAccount(*conn, ledger::AccountKind::WithdrawalHeld, user, currency);
        auto balances = ledger::Ledger::lockAccounts(*conn, {earnings, held});
        if (auto stored = ledger::IdempotencyKeys::find(*conn, userId, idempotencyKey))
            return {200, ledger::IdempotencyKeys::replay(*stored, requestHash)};
        if (amount.amountMinor() < std::max(minimum, fee + 1))
            throw ServiceError(Kind::Unprocessable, "below_minimum",
                               "The smallest withdrawal is " +
                                   core::Money(std::max(minimum, fee + 1), currency).format() +
                                   ".");
        const std::string method = details_.methodOf(*conn, user);
        if (method.empty())
            throw ServiceError(Kind::Conflict, "payout_details_required",
                               "Tell us where to pay you first (payout details).");
        if (balances[earnings] < amount.amountMinor())
            throw ServiceError(Kind::PaymentRequired, "insufficient_funds",
                               "You can withdraw " +
                                   core::Money(balances[earnings], currency).format() +
                                   " now (earnings past their hold; deposited money cannot "
                                   "be withdrawn).");
        const std::int64_t txId = ledger::Ledger::post(
            *conn, "withdrawal", currency, "Withdrawal requested",
            {{earnings, "hold", -amount.amountMinor()}, {held, "hold", amount.amountMinor()}});
        const std::string publicId = core::randomToken(12);
        conn->exec("INSERT INTO withdrawals (public_id, user_id, amount_minor, fee_minor, "
                   "currency, method, hold_transaction) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {publicId, userId, std::to_string(amount.amountMinor()), std::to_string(fee),
                    std::string(currency.code()), method, std::to_string(txId)});
        const json body = one(*conn, publicId);
        ledger::IdempotencyKeys::store(*conn, userId, idempotencyKey, requestHash, 201, body);
        tx.commit();
        return {201, body};
    });
}

json WithdrawalService::toJson(db::PgConnection& conn, const std::string& where,
                               const std::vector<db::SqlParam>& params, int limit, int offset) {
    auto r = conn.exec(
        "SELECT w.public_id, w.status, w.amount_minor, w.fee_minor, w.currency, w.method, "
        "coalesce(w.via, ''), w.reference, w.reason, " +
            db::isoUtc("w.created_at") + ", " + db::isoUtc("w.resolved_at") + ", u.username, " +
            db::isoUtc("w.payout_attempted_at") +
            ", w.payout_attempt FROM withdrawals w JOIN users u ON u.id = w.user_id WHERE " +
            where + " ORDER BY w.id DESC LIMIT " + std::to_string(limit) + " OFFSET " +
            std::to_string(offset),
        params);
    json out = json::array();
    for (int i = 0; i < r.rows(); ++i) {
        const auto currency = core::Currency::fromCode(r.text(i, 4));
        const auto money = [&](std::int64_t minor) {
            return settings::moneyJson(core::Money(minor, currency));
        };
        const auto orNull = [&](int c) {
            return r.isNull(i, c) || r.text(i, c).empty() ? json() : json(r.text(i, c));
        };
        out.push_back({{"id", r.text(i, 0)},
                       {"status", r.text(i, 1)},
                       {"amount", money(r.int64(i, 2))},
                       {"fee", money(r.int64(i, 3))},
                       {"net", money(r.int64(i, 2) - r.int64(i, 3))},
                       {"method", r.text(i, 5)},
                       {"via", orNull(6)},
                       {"reference", orNull(7)},
                       {"reason", orNull(8)},
                       {"created_at", r.text(i, 9)},
                       {"resolved_at", orNull(10)},
                       {"user", r.text(i, 11)},
                       // A provider payout whose outcome we have not learnt yet.
                       {"in_doubt", r.text(i, 1) == "approved" && !r.isNull(i, 12)},
                       {"last_attempt_at", orNull(12)},
                       {"attempts", r.int64(i, 13)}});
    }
    return out;
}

json WithdrawalService::one(db::PgConnection& conn, const std::string& publicId) {
    auto list = toJson(conn, "w.public_id = $1", {publicId}, 1, 0);
    if (list.empty())
        throw ServiceError(Kind::NotFound, "not_found", "There is no such withdrawal.");
    return list[0];
}

json WithdrawalService::list(accounts::UserId user, int limit, int offset) {
    auto conn = pool_.acquire();
    return {{"withdrawals",
             toJson(*conn, "w.user_id = $1", {std::to_string(user.value)}, limit, offset)}};
}

json WithdrawalService::adminList(const std::string& status, int limit, int offset) {
    auto conn = pool_.acquire();
    if (status.empty())
        return {{"withdrawals", toJson(*conn, "true", {}, limit, offset)}};
    return {{"withdrawals", toJson(*conn, "w.status = $1", {status}, limit, offset)}};
}

void WithdrawalService::payOut(db::PgConnection& conn, const WithdrawalRow& w,
                               const std::string& clearing, const std::string& reference,
                               const std::string& status) {
    const auto& currency = w.amount.currency();
    const std::int64_t held =
        ledger::Ledger::userAccount(conn, ledger::AccountKind::WithdrawalHeld, w.user, currency);
    const std::int64_t out = ledger::Ledger::clearingAccount(conn, clearing, currency);
    const std::int64_t platform =
        ledger::Ledger::systemAccount(conn, ledger::AccountKind::PlatformRevenue, currency);
    ledger::Ledger::lockAccounts(conn, {held, out, platform});
    const std::int64_t txId =
        ledger::Ledger::post(conn, "payout", currency, "Withdrawal paid out (" + clearing + ")",
                             {{held, "payout", -w.amount.amountMinor()},
                              {out, "payout", w.amount.amountMinor() - w.feeMinor},
                              {platform, "withdrawal_fee", w.feeMinor}});
    conn.exec("UPDATE withdrawals SET status = $5, reference = $2, reason = '', "
              "final_transaction = $3, resolved_at = CASE WHEN $5 = 'paid' THEN now() END, "
              "via = $4 WHERE id = $1",
              {std::to_string(w.id), reference, std::to_string(txId), clearing, status});
}

json WithdrawalService::approve(const std::string& publicId, accounts::UserId admin,
                                const WithdrawalDecision& d) {
    requireNote(d.note, "a note");
    if (d.via != "manual")
        return approveThroughProvider(publicId, admin, d);
    if (core::checkText(d.reference, {.maxChars = 100, .allowEmpty = false}) !=
        core::TextProblem::None)
        throw ServiceError(Kind::Invalid, "reference_required",
                           "A manual payout needs the bank transfer's reference.");
    auto conn = pool_.acquire();
    return db::retryTransientConflicts([&] {
        db::PgTransaction tx(*conn);
        const WithdrawalRow w = WithdrawalRow::lock(*conn, publicId);
        w.requireOpen();
        payOut(*conn, w, "bank", d.reference, "paid");
        conn->exec("UPDATE withdrawals SET resolved_by = $2, via = 'manual' WHERE id = $1",
                   {std::to_string(w.id), std::to_string(admin.value)});
        AuditLog::record(*conn, admin, "withdrawal.approve", "withdrawal:" + publicId, d.note,
                         {{"via", "manual"}, {"reference", d.reference}});
        json body = one(*conn, publicId);
        tx.commit();
        return body;
    });
}

json WithdrawalService::reject(const std::string& publicId, accounts::UserId admin,
                               const std::string& reason) {
    requireNote(reason, "a reason");
    auto conn = pool_.acquire();
    return db::retryTransientConflicts([&] {
        db::PgTransaction tx(*conn);
        const WithdrawalRow w = WithdrawalRow::lock(*conn, publicId);
        w.requireOpen();
        const auto& currency = w.amount.currency();
        const std::int64_t earnings =
            ledger::Ledger::userAccount(*conn, ledger::AccountKind::Earnings, w.user, currency);
        const std::int64_t held = ledger::Ledger::userAccount(
            *conn, ledger::AccountKind::WithdrawalHeld, w.user, currency);
        ledger::Ledger::lockAccounts(*conn, {earnings, held});
        const std::int64_t txId =
            ledger::Ledger::post(*conn, "withdrawal_release", currency, "Withdrawal rejected",
                                 {{held, "release", -w.amount.amountMinor()},
                                  {earnings, "release", w.amount.amountMinor()}});
        conn->exec(
            "UPDATE withdrawals SET status = 'rejected', reason = $2, resolved_by = $3, "
            "final_transaction = $4, resolved_at = now() WHERE id = $1",
            {std::to_string(w.id), reason, std::to_string(admin.value), std::to_string(txId)});
        AuditLog::record(*conn, admin, "withdrawal.reject", "withdrawal:" + publicId, reason);
        json body = one(*conn, publicId);
        tx.commit();
        return body;
    });
}

} // namespace reelgate::server::money
