// PaymentsService: the admin's side (deposit list with events, bank-transfer decisions) and
// the reconciler's status lookups.

#include "payments/PaymentsService.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "payments/DepositLedger.h"
#include "reelgate/core/Text.h"

#include <algorithm>

namespace reelgate::server::payments {

using nlohmann::json;
using Kind = ServiceError::Kind;

namespace {

// A deposit's notifications, oldest first; with their raw bodies for the details pane.
json eventsJson(db::PgConnection& conn, const std::string& depositId, bool withRaw) {
    auto events = conn.exec("SELECT event_id, status, outcome, flagged, " +
                                db::isoUtc("received_at") + (withRaw ? ", raw_body" : ", ''") +
                                " FROM payment_notifications WHERE deposit_id = $1 ORDER BY id",
                            {depositId});
    json list = json::array();
    for (int e = 0; e < events.rows(); ++e) {
        json event = {{"event_id", events.text(e, 0)},
                      {"status", events.text(e, 1)},
                      {"outcome", events.text(e, 2)},
                      {"flagged", events.boolean(e, 3)},
                      {"received_at", events.text(e, 4)}};
        if (withRaw) // the bytes as received (text: the admin reads them, nothing parses them)
            event["raw"] = core::isValidUtf8(events.text(e, 5))
                               ? events.text(e, 5)
                               : core::printable(events.text(e, 5), 65536);
        list.push_back(event);
    }
    return list;
}

} // namespace

json PaymentsService::adminDeposits(const std::string& filter, const std::string& provider,
                                    int limit) {
    if (limit < 1 || limit > 500)
        throw ServiceError(Kind::Invalid, "invalid_request", "limit is 1..500.");
    static const std::vector<std::string> kStatuses = {"pending", "posted", "voided", "refunded",
                                                       "disputed"};
    if (filter != "flagged" && !filter.empty() &&
        std::find(kStatuses.begin(), kStatuses.end(), filter) == kStatuses.end())
        throw ServiceError(Kind::Invalid, "invalid_request",
                           "filter is pending, posted, voided, refunded, disputed, flagged or "
                           "empty.");
    if (provider.size() > 20 ||
        provider.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        throw ServiceError(Kind::Invalid, "invalid_request", "provider is a provider's name.");
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id FROM deposits WHERE ($2::text = '' OR provider = $2) AND "
                           "($3::text IN ('', 'flagged') OR status = $3) AND "
                           "($3::text <> 'flagged' OR flagged) ORDER BY id DESC LIMIT $1",
                           {std::to_string(limit), provider, filter});
    json out = json::array();
    for (int r = 0; r < rows.rows(); ++r) {
        json deposit = DepositLedger::toJson(*conn, rows.int64(r, 0));
        deposit["events"] = eventsJson(*conn, rows.text(r, 0), false);
        out.push_back(deposit);
    }
    return {{"deposits", out}};
}

json PaymentsService::adminDeposit(const std::string& publicId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id FROM deposits WHERE public_id = $1", {publicId});
    if (rows.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no such payment.");
    json deposit = DepositLedger::toJson(*conn, rows.int64(0, 0));
    deposit["events"] = eventsJson(*conn, rows.text(0, 0), true);
    deposit["reversed"] = settings::moneyJson(core::Money(
        conn->exec("SELECT reversed_minor FROM deposits WHERE id = $1", {rows.text(0, 0)})
            .int64(0, 0),
        core::Currency::fromCode(deposit["charge"]["currency"].get<std::string>())));
    return {{"deposit", deposit}};
}

json PaymentsService::decideBankTransfer(const std::string& publicId, bool approve,
                                         const std::string& note, const std::string& adminName) {
    auto conn = pool_.acquire();
    db::PgTransaction tx(*conn);
    auto d = DepositLedger::lockByPublicId(*conn, publicId);
    if (!d || d->provider != "bank")
        throw ServiceError(Kind::NotFound, "not_found", "There is no such bank transfer.");
    if (d->status != "pending")
        throw ServiceError(Kind::Conflict, "already_settled",
                           "This transfer was already " + d->status + ".");
    const std::string decision = approve ? "approve" : "reject";
    std::string outcome = "voided";
    if (approve) {
        outcome = DepositLedger::post(*conn, *d, *settings_.snapshot(), "",
                                      find("bank") ? find("bank")->label() : "Bank transfer");
        DepositLedger::queueReceipt(*conn, *d, outcome, publicUrl_);
    } else {
        DepositLedger::voidPending(*conn, *d, "rejected", note);
    }
    conn->exec("UPDATE deposits SET admin_note = $2 WHERE id = $1", {std::to_string(d->id), note});
    conn->exec("INSERT INTO payment_notifications (provider, event_id, deposit_id, status, "
               "outcome, raw_body) VALUES ('bank', $1, $2, $3, $4, $5)",
               {"admin:" + publicId + ":" + decision, std::to_string(d->id),
                approve ? "paid" : "failed", outcome,
                json{{"admin", adminName}, {"decision", decision}, {"note", note}}.dump()});
    tx.commit();
    Log::info("bank transfer " + d->reference + " " + decision + "d by " + adminName);
    return {{"deposit", DepositLedger::toJson(*conn, d->id)}};
}

json PaymentsService::refundDeposit(const std::string& publicId,
                                    const std::optional<core::Money>& amount,
                                    const std::string& adminName, const std::string& refundKey) {
    std::optional<Deposit> d;
    std::int64_t reversed = 0;
    {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        d = DepositLedger::lockByPublicId(*conn, publicId);
        if (!d)
            throw ServiceError(Kind::NotFound, "not_found", "There is no such payment.");
        reversed =
            conn->exec("SELECT reversed_minor FROM deposits WHERE id = $1", {std::to_string(d->id)})
                .int64(0, 0);
    }
    PaymentProvider* provider = find(d->provider);
    if (d->status != "posted" || !provider || !provider->capabilities().refunds ||
        d->providerChargeId.empty())
        throw ServiceError(
            Kind::Conflict, "not_refundable",
            "Only a paid card, PayPal, Midtrans or Xendit payment can be refunded here.");
    const core::Money left(d->charge.amountMinor() - reversed, d->charge.currency());
    const core::Money refund = amount.value_or(left);
    if (refund.currency() != left.currency() || refund.amountMinor() <= 0 ||
        refund.amountMinor() > left.amountMinor())
        throw ServiceError(Kind::Invalid, "invalid_amount",
                           "A refund is more than zero and at most " + left.format() + ".");
    // Our key for this refund: the caller's refund row, or the same request (this payment, this
    // amount, after what was reversed so far) carries the same key, so a retried request
    // refunds once; after the provider's notification books it, a further refund gets a new key.
    const std::string key = !refundKey.empty() ? refundKey
                                               : d->reference + "-" + std::to_string(reversed) +
                                                     "-" + std::to_string(refund.amountMinor());
    provider->refund(d->providerChargeId, refund, key); // outside any transaction
    Log::info("refund of " + refund.format() + " for payment " + d->reference + " asked by " +
              adminName);
    auto conn = pool_.acquire();
    return {{"refund_requested", settings::moneyJson(refund)},
            {"deposit", DepositLedger::toJson(*conn, d->id)}};
}

json PaymentsService::checkDeposit(accounts::UserId viewer, bool admin,
                                   const std::string& publicId) {
    json answer = deposit(viewer, admin, publicId); // 404 for anyone else's
    const json& d = answer["deposit"];
    PaymentProvider* provider = find(d["provider"].get<std::string>());
    if (d["status"] != "pending" || !provider || provider->name() == "bank")
        return answer;
    std::string paymentId;
    {
        auto conn = pool_.acquire();
        paymentId =
            conn->exec("SELECT provider_payment_id FROM deposits WHERE public_id = $1", {publicId})
                .text(0, 0);
    }
    try {
        settle(*provider, d["reference"].get<std::string>(), paymentId);
    } catch (const std::exception& e) { // the notification or the reconciler will follow
        Log::warn("checking a " + provider->name() + " payment failed: " + e.what());
    }
    return deposit(viewer, admin, publicId);
}

bool PaymentsService::settle(PaymentProvider& provider, const std::string& reference,
                             const std::string& paymentId) {
    PaymentEvent event = provider.queryStatus(reference, paymentId);
    if (event.status != PaymentStatus::Paid && event.status != PaymentStatus::Failed &&
        event.status != PaymentStatus::Expired)
        return false;
    if (event.reference.empty())
        event.reference = reference;
    const json raw = {{"lookup", event.description},
                      {"status", statusName(event.status)},
                      {"amount", event.amount ? json(*event.amount) : json()},
                      {"payment_id", event.providerPaymentId}};
    const auto outcome = apply(provider.name(), event, raw.dump());
    return outcome.outcome != "duplicate" && outcome.outcome != "ignored";
}

int PaymentsService::reconcile(std::chrono::seconds age) {
    struct Pending {
        std::string provider, reference, paymentId;
    };
    std::vector<Pending> pending;
    {
        auto conn = pool_.acquire();
        auto rows = conn->exec("SELECT provider, reference, provider_payment_id FROM deposits "
                               "WHERE status = 'pending' AND provider <> 'bank' AND "
                               "created_at < now() - make_interval(secs => $1) "
                               "ORDER BY id LIMIT 200",
                               {std::to_string(age.count())});
        for (int r = 0; r < rows.rows(); ++r)
            pending.push_back({rows.text(r, 0), rows.text(r, 1), rows.text(r, 2)});
    }
    int settled = 0;
    for (const auto& p : pending) {
        PaymentProvider* provider = find(p.provider);
        if (!provider)
            continue;
        try {
            settled += settle(*provider, p.reference, p.paymentId) ? 1 : 0;
        } catch (const std::exception& e) {
            Log::warn("reconciling a " + p.provider + " deposit failed: " + e.what());
        }
    }
    return settled;
}

} // namespace reelgate::server::payments
