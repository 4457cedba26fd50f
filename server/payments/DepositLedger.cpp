#include "payments/DepositLedger.h"

#include "db/SqlText.h"
#include "ledger/Ledger.h"
#include "ledger/SaleLedger.h"
#include "mail/Outbox.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>

namespace reelgate::server::payments {
namespace {

using ledger::Ledger;
using nlohmann::json;

const std::string kColumns =
    "id, public_id, reference, user_id, provider, purpose, video_id, referrer, amount_minor, "
    "currency, charge_amount_minor, charge_currency, status, provider_payment_id, "
    "provider_charge_id";

std::optional<Deposit> lockWhere(db::PgConnection& conn, const std::string& where,
                                 const std::vector<db::SqlParam>& params) {
    auto rows = conn.exec("SELECT " + kColumns + " FROM deposits WHERE " + where +
                              " ORDER BY id LIMIT 1 FOR UPDATE",
                          params);
    if (rows.rows() == 0)
        return std::nullopt;
    Deposit d;
    d.id = rows.int64(0, 0);
    d.publicId = rows.text(0, 1);
    d.reference = rows.text(0, 2);
    d.user = accounts::UserId{rows.int64(0, 3)};
    d.provider = rows.text(0, 4);
    d.purpose = rows.text(0, 5);
    if (!rows.isNull(0, 6))
        d.videoId = rows.int64(0, 6);
    d.referrer = rows.text(0, 7);
    d.amount = core::Money(rows.int64(0, 8), core::Currency::fromCode(rows.text(0, 9)));
    d.charge = core::Money(rows.int64(0, 10), core::Currency::fromCode(rows.text(0, 11)));
    d.status = rows.text(0, 12);
    d.providerPaymentId = rows.text(0, 13);
    d.providerChargeId = rows.text(0, 14);
    return d;
}

std::int64_t creditWallet(db::PgConnection& conn, const Deposit& d, const std::string& label) {
    const auto& currency = d.amount.currency();
    return Ledger::post(
        conn, "deposit", currency, "Top-up: " + label,
        {{Ledger::walletAccount(conn, d.user, currency), "deposit", d.amount.amountMinor()},
         {Ledger::clearingAccount(conn, d.provider, currency), "clearing",
          -d.amount.amountMinor()}});
}

struct Purchase {
    std::int64_t transactionId = 0;
    std::int64_t purchaseId = 0;
};

// The purchase a paid checkout buys, or nullopt when the video cannot be bought any more.
std::optional<Purchase> payVideo(db::PgConnection& conn, const Deposit& d,
                                 const settings::SettingsSnapshot& settings) {
    const std::string buyerId = std::to_string(d.user.value);
    const std::string videoId = std::to_string(*d.videoId);
    auto video = conn.exec("SELECT creator_id, state, title, affiliate_bps FROM videos "
                           "WHERE id = $1 FOR SHARE",
                           {videoId});
    const accounts::UserId creator{video.int64(0, 0)};
    if (video.text(0, 1) != "published" || creator == d.user ||
        conn.exec("SELECT 1 FROM purchases WHERE buyer_id = $1 AND video_id = $2",
                  {buyerId, videoId})
                .rows() > 0)
        return std::nullopt;
    // The referral rules of wallet purchases: another active user, a creator with a program.
    std::optional<accounts::UserId> affiliate;
    const int affiliateBps = static_cast<int>(video.int64(0, 3));
    if (!d.referrer.empty() && affiliateBps > 0) {
        auto ref = conn.exec("SELECT id FROM users WHERE lower(username) = lower($1) "
                             "AND status = 'active'",
                             {d.referrer});
        if (ref.rows() > 0 && accounts::UserId{ref.int64(0, 0)} != d.user &&
            accounts::UserId{ref.int64(0, 0)} != creator)
            affiliate = accounts::UserId{ref.int64(0, 0)};
    }
    ledger::SaleInput sale;
    sale.buyer = d.user;
    sale.creator = creator;
    sale.affiliate = affiliate;
    sale.videoId = *d.videoId;
    sale.title = video.text(0, 2);
    sale.price = d.amount;
    sale.feeBps = settings.platformFeeBps;
    sale.affiliateBps = affiliateBps;
    sale.holdDays = settings.earningsHoldDays;
    sale.clearingProvider = d.provider;
    auto locked = ledger::SaleLedger::lock(conn, sale);
    const auto record = ledger::SaleLedger::record(conn, locked);
    return Purchase{record.transactionId.value_or(0), record.purchaseId};
}

} // namespace

std::optional<Deposit> DepositLedger::lockById(db::PgConnection& conn, std::int64_t id) {
    return lockWhere(conn, "id = $1", {std::to_string(id)});
}

std::optional<Deposit> DepositLedger::lockByPublicId(db::PgConnection& conn,
                                                     const std::string& publicId) {
    return lockWhere(conn, "public_id = $1", {publicId});
}

std::optional<Deposit> DepositLedger::lockForEvent(db::PgConnection& conn,
                                                   const std::string& provider,
                                                   const PaymentEvent& event) {
    if (!event.reference.empty())
        if (auto d =
                lockWhere(conn, "reference = $1 AND provider = $2", {event.reference, provider}))
            return d;
    if (!event.providerPaymentId.empty())
        if (auto d = lockWhere(conn, "provider_payment_id = $1 AND provider = $2",
                               {event.providerPaymentId, provider}))
            return d;
    if (!event.providerChargeId.empty())
        return lockWhere(conn, "provider_charge_id = $1 AND provider = $2",
                         {event.providerChargeId, provider});
    return std::nullopt;
}

std::string DepositLedger::post(db::PgConnection& conn, const Deposit& d,
                                const settings::SettingsSnapshot& settings,
                                const std::string& providerChargeId,
                                const std::string& providerLabel) {
    std::string outcome = "posted";
    std::string reason;
    db::SqlParam purchaseId;
    std::int64_t transactionId = 0;
    std::optional<Purchase> purchase;
    if (d.purpose == "checkout")
        purchase = payVideo(conn, d, settings);
    if (purchase) {
        transactionId = purchase->transactionId;
        purchaseId = std::to_string(purchase->purchaseId);
    } else {
        transactionId = creditWallet(conn, d, providerLabel);
        if (d.purpose == "checkout") {
            outcome = "credited_to_wallet";
            reason = "The video could not be bought any more (already yours or withdrawn); "
                     "the payment went to your wallet.";
        }
    }
    conn.exec("UPDATE deposits SET status = 'posted', settled_at = now(), transaction_id = $2, "
              "purchase_id = $3, status_reason = $4, "
              "provider_charge_id = CASE WHEN $5 = '' THEN provider_charge_id ELSE $5 END "
              "WHERE id = $1",
              {std::to_string(d.id), std::to_string(transactionId), purchaseId, reason,
               providerChargeId});
    return outcome;
}

void DepositLedger::queueReceipt(db::PgConnection& conn, const Deposit& d,
                                 const std::string& outcome, const std::string& publicUrl) {
    const bool bought = outcome == "posted" && d.purpose == "checkout";
    auto email = conn.exec("SELECT email FROM users WHERE id = $1", {std::to_string(d.user.value)});
    mail::Outbox::queue(conn, email.text(0, 0), "Reelgate: payment received",
                        "We received your payment of " + d.charge.format() + ".\n" +
                            (bought ? "The video is yours (see " + publicUrl + "/account)."
                                    : "Your wallet was credited " + d.amount.format() + " (see " +
                                          publicUrl + "/wallet).") +
                            "\n\nPayment reference: " + d.reference + "\n");
}

void DepositLedger::voidPending(db::PgConnection& conn, const Deposit& d, const std::string& status,
                                const std::string& reason) {
    conn.exec("UPDATE deposits SET status = 'voided', settled_at = now(), status_reason = $2 "
              "WHERE id = $1 AND status = 'pending'",
              {std::to_string(d.id), status + (reason.empty() ? "" : ": " + reason)});
}

void DepositLedger::flag(db::PgConnection& conn, const Deposit& d, const std::string& reason) {
    conn.exec("UPDATE deposits SET flagged = true, status_reason = $2 WHERE id = $1",
              {std::to_string(d.id), reason});
}

json DepositLedger::toJson(db::PgConnection& conn, std::int64_t depositId) {
    auto r = conn.exec(
        "SELECT d.public_id, d.provider, d.purpose, d.status, d.amount_minor, d.currency, "
        "d.charge_amount_minor, d.charge_currency, coalesce(d.exchange_rate, ''), "
        "d.redirect_url, d.instructions, d.reference, d.status_reason, d.flagged, " +
            db::isoUtc("d.created_at") + ", " + db::isoUtc("d.settled_at") +
            ", v.public_id, v.title, d.admin_note, u.username "
            "FROM deposits d JOIN users u ON u.id = d.user_id "
            "LEFT JOIN videos v ON v.id = d.video_id WHERE d.id = $1",
        {std::to_string(depositId)});
    const auto money = [&](int amount, int currency) {
        return settings::moneyJson(
            core::Money(r.int64(0, amount), core::Currency::fromCode(r.text(0, currency))));
    };
    const auto orNull = [&](int column) {
        return r.isNull(0, column) || r.text(0, column).empty() ? json() : json(r.text(0, column));
    };
    return {
        {"id", r.text(0, 0)},
        {"provider", r.text(0, 1)},
        {"purpose", r.text(0, 2)},
        {"status", r.text(0, 3)},
        {"amount", money(4, 5)},
        {"charge", money(6, 7)},
        {"exchange_rate", orNull(8)},
        {"redirect_url", orNull(9)},
        {"instructions", orNull(10)},
        {"reference", r.text(0, 11)},
        {"status_reason", orNull(12)},
        {"flagged", r.boolean(0, 13)},
        {"created_at", r.text(0, 14)},
        {"settled_at", orNull(15)},
        {"video", r.isNull(0, 16) ? json() : json{{"id", r.text(0, 16)}, {"title", r.text(0, 17)}}},
        {"admin_note", orNull(18)},
        {"user", r.text(0, 19)}};
}

} // namespace reelgate::server::payments
