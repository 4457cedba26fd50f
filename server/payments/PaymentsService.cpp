#include "payments/PaymentsService.h"

#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/TransactionRetry.h"
#include "payments/DepositLedger.h"
#include "payments/DepositReversal.h"
#include "reelgate/core/Crypto.h"

namespace reelgate::server::payments {
namespace {

using nlohmann::json;
using Kind = ServiceError::Kind;

constexpr std::int64_t kMaxDepositMinor = 1'000'000'000;
constexpr std::int64_t kMaxPendingPerHour = 20;

std::optional<json> storedAnswer(db::PgConnection& conn, const std::string& userId,
                                 const std::string& key, const std::string& requestHash) {
    auto rows = conn.exec("SELECT request_hash, response::text FROM idempotency_keys "
                          "WHERE user_id = $1 AND key = $2",
                          {userId, key});
    if (rows.rows() == 0)
        return std::nullopt;
    if (rows.text(0, 0) != requestHash)
        throw ServiceError(Kind::Unprocessable, "idempotency_key_reused",
                           "This Idempotency-Key was already used for a different request.");
    return json::parse(rows.text(0, 1));
}

// What a bank payer writes on the transfer: short, unambiguous letters and digits.
std::string bankReference() {
    static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const std::string bytes = core::randomBytes(10);
    std::string out = "RG-";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 5)
            out += '-';
        out += kAlphabet[static_cast<unsigned char>(bytes[i]) % 32];
    }
    return out;
}

struct Priced {
    core::Money amount;
    std::optional<std::int64_t> videoId;
    std::string description;
};

Priced priceCheckout(db::PgConnection& conn, const DepositRequest& request) {
    auto video = conn.exec("SELECT id, creator_id, price_minor, currency, state, title "
                           "FROM videos WHERE public_id = $1",
                           {request.videoPublicId});
    if (video.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no video here.");
    if (video.text(0, 4) != "published")
        throw ServiceError(Kind::Conflict, "not_published", "This video is not for sale.");
    if (accounts::UserId{video.int64(0, 1)} == request.user)
        throw ServiceError(Kind::Forbidden, "own_video", "This is your own video.");
    if (video.int64(0, 2) == 0)
        throw ServiceError(Kind::Conflict, "free_video", "This video is free: just buy it.");
    if (conn.exec("SELECT 1 FROM purchases WHERE buyer_id = $1 AND video_id = $2",
                  {std::to_string(request.user.value), video.text(0, 0)})
            .rows() > 0)
        throw ServiceError(Kind::Conflict, "already_owned", "You already own this video.");
    return {core::Money(video.int64(0, 2), core::Currency::fromCode(video.text(0, 3))),
            video.int64(0, 0), video.text(0, 5)};
}

bool flaggedBefore(db::PgConnection& conn, const Deposit& d) {
    return conn.exec("SELECT flagged FROM deposits WHERE id = $1", {std::to_string(d.id)})
        .boolean(0, 0);
}

// A flagged pending deposit was just posted on an authenticated amount equal to its charge. A
// flag that only said an earlier report had another amount is obsolete: cleared, saying why
// (that earlier event stays flagged in the history). Any other flag (a refund or dispute
// reported before the payment) still needs the admin: kept, with its reason.
std::string revisitFlag(db::PgConnection& conn, const Deposit& d, const std::string& outcome) {
    const std::string id = std::to_string(d.id);
    const bool onlyMismatches =
        conn.exec("SELECT count(*) FROM payment_notifications WHERE deposit_id = $1 AND "
                  "flagged AND outcome <> 'mismatch'",
                  {id})
            .int64(0, 0) == 0;
    auto reason = conn.exec("SELECT coalesce(status_reason, '') FROM deposits WHERE id = $1", {id});
    const std::string posted = reason.text(0, 0).empty() ? "" : reason.text(0, 0) + " ";
    if (!onlyMismatches) {
        conn.exec("UPDATE deposits SET status_reason = $2 WHERE id = $1",
                  {id, posted + "Posted after the provider confirmed " + d.charge.format() +
                           "; an earlier refund or dispute report still needs checking."});
        return outcome + "_still_flagged";
    }
    conn.exec("UPDATE deposits SET flagged = false, status_reason = $2 WHERE id = $1",
              {id, posted + "The provider confirmed " + d.charge.format() +
                       " paid; an earlier report of another amount was superseded."});
    return outcome + "_flag_cleared";
}

} // namespace

PaymentsService::PaymentsService(db::PgPool& pool, settings::PlatformSettings& settings,
                                 std::string publicUrl)
    : pool_(pool)
    , settings_(settings)
    , publicUrl_(std::move(publicUrl)) {}

void PaymentsService::addProvider(std::unique_ptr<PaymentProvider> provider) {
    const std::string name = provider->name();
    providers_[name] = std::move(provider);
}

PaymentProvider* PaymentsService::find(const std::string& name) const {
    const auto it = providers_.find(name);
    return it == providers_.end() ? nullptr : it->second.get();
}

json PaymentsService::providersJson() const {
    json out = json::array();
    // Pay-now methods first, instructions (bank transfer) last.
    for (const bool redirects : {true, false})
        for (const auto& [name, provider] : providers_) {
            const auto caps = provider->capabilities();
            if (caps.redirects != redirects)
                continue;
            out.push_back({{"name", name},
                           {"label", provider->label()},
                           {"redirects", caps.redirects},
                           {"charge_currency",
                            caps.chargeCurrency.empty() ? json() : json(caps.chargeCurrency)}});
        }
    return {{"providers", out}};
}

PaymentsService::Quote PaymentsService::quote(const PaymentProvider& provider,
                                              const core::Money& amount) const {
    // A provider that cannot charge this currency charges the converted amount, at the rate
    // locked on the deposit when it is created; the wallet is credited in its own currency.
    const auto caps = provider.capabilities();
    const std::string currency(amount.currency().code());
    Quote out{amount, ""};
    const bool charges = caps.currencies.empty() ||
                         std::find(caps.currencies.begin(), caps.currencies.end(), currency) !=
                             caps.currencies.end();
    if (!charges && caps.chargeCurrency.empty())
        throw ServiceError(Kind::Unprocessable, "currency_not_supported",
                           provider.label() + " does not take " + currency + ".");
    if (!charges) {
        const auto snapshot = settings_.snapshot();
        for (const auto& rate : snapshot->rates)
            if (rate.base() == amount.currency() && rate.quote().code() == caps.chargeCurrency) {
                out.charge = rate.convert(amount);
                out.rate = rate.toDecimalString();
            }
        if (out.rate.empty())
            throw ServiceError(Kind::Conflict, "no_exchange_rate",
                               provider.label() + " charges " + caps.chargeCurrency +
                                   " and no exchange rate from " + currency + " is set.");
    }
    if (caps.wholeUnitsOnly) { // rounded half up to a whole unit
        const std::int64_t unit = out.charge.currency().minorPerMajor();
        out.charge =
            core::Money((out.charge.amountMinor() + unit / 2) / unit * unit, out.charge.currency());
    }
    return out;
}

json PaymentsService::quoteJson(const std::string& providerName, const core::Money& amount) const {
    PaymentProvider* provider = find(providerName);
    if (!provider)
        throw ServiceError(Kind::NotFound, "unknown_provider",
                           "This payment method is not offered here.");
    const Quote q = quote(*provider, amount);
    return {{"amount", settings::moneyJson(amount)},
            {"charge", settings::moneyJson(q.charge)},
            {"exchange_rate", q.rate.empty() ? json() : json(q.rate)}};
}

DepositOutcome PaymentsService::createDeposit(const DepositRequest& request) {
    PaymentProvider* provider = find(request.provider);
    if (!provider)
        throw ServiceError(Kind::NotFound, "unknown_provider",
                           "This payment method is not offered here.");
    if (request.idempotencyKey.empty() || request.idempotencyKey.size() > 200)
        throw ServiceError(Kind::Invalid, "idempotency_key_required",
                           "Send an Idempotency-Key header (1 to 200 characters) with a payment.");
    const bool checkout = !request.videoPublicId.empty();
    const std::string userId = std::to_string(request.user.value);
    const std::string requestHash =
        core::sha256Hex("deposit\n" + request.provider + "\n" +
                        (checkout ? "checkout\n" + request.videoPublicId + "\n" + request.referrer
                         : request.amount ? request.amount->format()
                                          : std::string()));

    // The checks hold a pooled connection; the provider's answer is awaited without one.
    std::optional<db::PgPool::Lease> lease(pool_.acquire());
    auto* conn = &**lease;
    if (auto stored = storedAnswer(*conn, userId, request.idempotencyKey, requestHash))
        return {200, *stored};

    Priced priced{core::Money::zero(core::Currency::fromCode("USD")), std::nullopt, ""};
    if (checkout) {
        priced = priceCheckout(*conn, request);
    } else {
        if (!request.amount || request.amount->amountMinor() <= 0 ||
            request.amount->amountMinor() > kMaxDepositMinor)
            throw ServiceError(Kind::Invalid, "invalid_amount",
                               "A top-up is more than zero and at most 10,000,000.00.");
        priced.amount = *request.amount;
        priced.description = "Wallet top-up " + request.amount->format();
    }
    // Each deposit opens a checkout at the provider: a buyer gets a handful at a time.
    if (conn->exec("SELECT count(*) FROM deposits WHERE user_id = $1 AND status = 'pending' AND "
                   "created_at > now() - interval '1 hour'",
                   {userId})
            .int64(0, 0) >= kMaxPendingPerHour)
        throw ServiceError(Kind::RateLimited, "too_many_pending_payments",
                           "You have many payments waiting; finish or wait for one of them.", 600);
    const Quote quoted = quote(*provider, priced.amount);
    const core::Money& charge = quoted.charge;
    const std::string currency(priced.amount.currency().code());
    const db::SqlParam rateText = quoted.rate.empty() ? db::SqlParam() : db::SqlParam(quoted.rate);
    if (charge.amountMinor() <= 0)
        throw ServiceError(Kind::Invalid, "invalid_amount", "The amount is too small to charge.");

    const std::string publicId = core::randomToken(12);
    const std::string reference =
        provider->name() == "bank" ? bankReference() : "rg_" + core::randomToken(18);
    const std::string returnUrl =
        publicUrl_ + (checkout ? "/v/" + request.videoPublicId : std::string("/wallet")) +
        "?deposit=" + publicId;
    CheckoutRequest checkoutRequest{
        reference, charge, priced.description, returnUrl, returnUrl + "&cancelled=1", ""};
    auto email = conn->exec("SELECT email FROM users WHERE id = $1", {userId});
    if (email.rows() > 0)
        checkoutRequest.buyerEmail = email.text(0, 0);
    lease.reset(); // a slow provider must hold neither locks nor a connection
    const CheckoutResult result = provider->createCheckout(checkoutRequest);
    lease.emplace(pool_.acquire());
    conn = &**lease;

    json body;
    try {
        db::PgTransaction tx(*conn);
        auto inserted = conn->exec(
            "INSERT INTO deposits (public_id, reference, user_id, provider, purpose, video_id, "
            "referrer, amount_minor, currency, charge_amount_minor, charge_currency, "
            "exchange_rate, provider_payment_id, redirect_url, instructions) VALUES "
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            {publicId, reference, userId, provider->name(), checkout ? "checkout" : "topup",
             priced.videoId ? db::SqlParam(std::to_string(*priced.videoId)) : std::nullopt,
             request.referrer, std::to_string(priced.amount.amountMinor()), currency,
             std::to_string(charge.amountMinor()), std::string(charge.currency().code()), rateText,
             result.providerPaymentId, result.redirectUrl, result.instructions});
        body = {{"deposit", DepositLedger::toJson(*conn, inserted.int64(0, 0))}};
        conn->exec("INSERT INTO idempotency_keys (user_id, key, request_hash, status, response) "
                   "VALUES ($1, $2, $3, 201, $4::jsonb)",
                   {userId, request.idempotencyKey, requestHash, body.dump()});
        tx.commit();
    } catch (const db::DbError& e) {
        if (e.sqlState() != "23505")
            throw;
        // A twin request with the same key won the race: answer what it answered.
        if (auto stored = storedAnswer(*conn, userId, request.idempotencyKey, requestHash))
            return {200, *stored};
        throw;
    }
    return {201, body};
}

json PaymentsService::deposit(accounts::UserId viewer, bool admin, const std::string& publicId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id, user_id FROM deposits WHERE public_id = $1", {publicId});
    if (rows.rows() == 0 || (!admin && accounts::UserId{rows.int64(0, 1)} != viewer))
        throw ServiceError(Kind::NotFound, "not_found", "There is no such payment.");
    return {{"deposit", DepositLedger::toJson(*conn, rows.int64(0, 0))}};
}

json PaymentsService::deposits(accounts::UserId user) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT id FROM deposits WHERE user_id = $1 ORDER BY id DESC LIMIT 100",
                           {std::to_string(user.value)});
    json out = json::array();
    for (int r = 0; r < rows.rows(); ++r)
        out.push_back(DepositLedger::toJson(*conn, rows.int64(r, 0)));
    return {{"deposits", out}};
}

NotificationOutcome PaymentsService::handleNotification(const std::string& name,
                                                        const IncomingNotification& notification) {
    PaymentProvider* provider = find(name);
    if (!provider)
        throw ServiceError(Kind::NotFound, "unknown_provider", "This provider is not enabled.");
    const PaymentEvent event = provider->verifyNotification(notification);
    requireNotificationText(event.eventId, "event id", 300);
    return apply(name, event, notification.body);
}

NotificationOutcome PaymentsService::apply(const std::string& providerName,
                                           const PaymentEvent& event, const std::string& raw) {
    // A deadlock or serialization failure is retried here; anything else answers non-2xx.
    return db::retryTransientConflicts([&]() -> NotificationOutcome {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        // The deposit's row lock serialises every delivery about it: the duplicate check below
        // sees what an earlier twin committed.
        std::optional<Deposit> d;
        if (event.status != PaymentStatus::Invalid)
            d = DepositLedger::lockForEvent(*conn, providerName, event);
        const auto seen = [&] {
            return conn->exec("SELECT 1 FROM payment_notifications WHERE provider = $1 AND "
                              "event_id = $2",
                              {providerName, event.eventId})
                       .rows() > 0;
        };
        if (seen())
            return {"duplicate", d ? d->publicId : ""};
        std::string outcome = "ignored";
        bool flagged = false;
        const auto flag = [&](const std::string& reason) {
            flagged = true;
            DepositLedger::flag(*conn, *d, reason);
        };
        if (!d) {
            outcome = event.status == PaymentStatus::Invalid ? "ignored" : "unknown_payment";
        } else if (event.status == PaymentStatus::Paid) {
            if (d->status != "pending") {
                outcome = d->status == "posted" ? "already_posted" : "paid_after_" + d->status;
                if (d->status != "posted")
                    flag("The provider reports a payment for a deposit already " + d->status + ".");
            } else if (!event.amount || *event.amount != d->charge) {
                outcome = "mismatch";
                flag("The provider reported " +
                     (event.amount ? event.amount->format() : "no amount") +
                     "; the deposit expects " + d->charge.format() + ". Nothing was credited.");
            } else {
                const bool wasFlagged = flaggedBefore(*conn, *d);
                outcome = DepositLedger::post(*conn, *d, *settings_.snapshot(),
                                              event.providerChargeId, find(providerName)->label());
                DepositLedger::queueReceipt(*conn, *d, outcome, publicUrl_);
                if (wasFlagged)
                    outcome = revisitFlag(*conn, *d, outcome);
            }
        } else if (event.status == PaymentStatus::Failed ||
                   event.status == PaymentStatus::Expired) {
            outcome = d->status == "pending" ? "voided" : "ignored";
            DepositLedger::voidPending(*conn, *d, statusName(event.status), event.description);
        } else if (event.status == PaymentStatus::Pending) {
            outcome = "pending";
        } else if (event.status == PaymentStatus::Refunded ||
                   event.status == PaymentStatus::Disputed) {
            if (d->status == "pending" || d->status == "voided" || !event.amount ||
                event.amount->currency() != d->charge.currency()) {
                outcome = "needs_review";
                flag(std::string("The provider reports this payment ") + statusName(event.status) +
                     " but it cannot be reversed automatically; check it by hand.");
            } else {
                outcome = DepositReversal::reverse(*conn, *d, event.status, *event.amount);
                if (event.status == PaymentStatus::Disputed)
                    flag("The buyer disputed this payment with the provider.");
            }
        } else if (event.status == PaymentStatus::DisputeWon) {
            // The provider gave the money back to us; the reversal stands (access stays
            // revoked) until the admin decides what the buyer gets back.
            outcome = "dispute_won";
            flag("The dispute was closed in the seller's favour and the provider released the "
                 "money; the reversal stands: credit it back by hand if right.");
        }
        auto inserted = conn->exec(
            "INSERT INTO payment_notifications (provider, event_id, deposit_id, status, outcome, "
            "flagged, raw_body) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (provider, event_id) DO NOTHING RETURNING id",
            {providerName, event.eventId, d ? db::SqlParam(std::to_string(d->id)) : std::nullopt,
             statusName(event.status), outcome, flagged ? "true" : "false", raw});
        if (inserted.rows() == 0)
            return {"duplicate", d ? d->publicId : ""}; // a twin without a deposit to lock won
        tx.commit();
        if (flagged)
            Log::warn("payment notification " + providerName + " " + event.eventId +
                      " flagged: " + outcome);
        return {outcome, d ? d->publicId : ""};
    });
}

} // namespace reelgate::server::payments
