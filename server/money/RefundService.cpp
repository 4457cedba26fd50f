#include "money/RefundService.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"
#include "db/TransactionRetry.h"
#include "ledger/Ledger.h"
#include "ledger/SaleLedger.h"
#include "money/AuditLog.h"
#include "payments/DepositReversal.h"
#include "reelgate/core/Crypto.h"
#include "reelgate/core/Text.h"
#include "settings/PlatformSettings.h"

namespace reelgate::server::money {
namespace {

using nlohmann::json;
using Kind = ServiceError::Kind;
using ledger::AccountKind;
using ledger::Ledger;
using ledger::Posting;

std::optional<RefundService::PurchaseRow> lockPurchase(db::PgConnection& conn,
                                                       const std::string& publicId) {
    auto r = conn.exec("SELECT p.id, p.buyer_id, p.video_id, p.price_minor, p.currency, d.id, "
                       "coalesce(d.public_id, '') FROM purchases p "
                       "LEFT JOIN deposits d ON d.purchase_id = p.id "
                       "WHERE p.public_id = $1 FOR UPDATE OF p",
                       {publicId});
    if (r.rows() == 0)
        return std::nullopt;
    RefundService::PurchaseRow p{
        r.int64(0, 0), accounts::UserId{r.int64(0, 1)},
        r.int64(0, 2), core::Money(r.int64(0, 3), core::Currency::fromCode(r.text(0, 4))),
        std::nullopt,  r.text(0, 6)};
    if (!r.isNull(0, 5))
        p.depositId = r.int64(0, 5);
    return p;
}

// The refund parts of a purchase: how many, their sum claimed (in flight or done), and done.
struct RefundParts {
    std::int64_t count = 0;
    std::int64_t claimedMinor = 0;
    std::int64_t completedMinor = 0;
};

RefundParts refundParts(db::PgConnection& conn, const std::string& purchasePublicId) {
    auto r =
        conn.exec("SELECT count(*), coalesce(sum(amount_minor), 0), coalesce(sum(amount_minor) "
                  "FILTER (WHERE completed_at IS NOT NULL), 0) FROM refunds "
                  "WHERE purchase_public_id = $1",
                  {purchasePublicId});
    return {r.int64(0, 0), r.int64(0, 1), r.int64(0, 2)};
}

json describe(db::PgConnection& conn, const std::vector<ledger::Posting>& postings,
              const core::Currency& currency) {
    json out = json::array();
    for (const auto& p : postings) {
        if (p.amountMinor == 0)
            continue;
        auto a = conn.exec("SELECT a.kind, coalesce(u.username, '') FROM ledger_accounts a "
                           "LEFT JOIN users u ON u.id = a.user_id WHERE a.id = $1",
                           {std::to_string(p.accountId)});
        const std::string owner = a.text(0, 1);
        out.push_back({{"account", owner.empty() ? a.text(0, 0) : owner + ":" + a.text(0, 0)},
                       {"role", p.role},
                       {"amount", settings::moneyJson(core::Money(p.amountMinor, currency))}});
    }
    return out;
}

} // namespace

json RefundService::refund(const std::string& purchasePublicId, const accounts::User& admin,
                           const std::string& reason, std::optional<std::int64_t> amountMinor) {
    if (core::checkText(reason, {.maxChars = 500, .allowEmpty = false}) != core::TextProblem::None)
        throw ServiceError(Kind::Invalid, "invalid_request",
                           "Give a reason (1 to 500 characters of text).");
    if (amountMinor && *amountMinor <= 0)
        throw ServiceError(Kind::Invalid, "invalid_amount", "A refund is more than zero.");
    const std::string refundId = core::randomToken(12);
    // Claim the part: the purchase row is locked, so racing refunds count each other's claims.
    // One connection at a time: none is held across the provider's refund below.
    PurchaseRow p;
    std::string via = "wallet";
    std::int64_t amount = 0;
    {
        auto conn = pool_.acquire();
        db::PgTransaction tx(*conn);
        auto found = lockPurchase(*conn, purchasePublicId);
        if (!found) {
            if (refundParts(*conn, purchasePublicId).count > 0)
                throw ServiceError(Kind::Conflict, "already_refunded",
                                   "This purchase was already refunded.");
            throw ServiceError(Kind::NotFound, "not_found", "There is no such purchase.");
        }
        p = *found;
        const std::int64_t claimed = refundParts(*conn, purchasePublicId).claimedMinor;
        const std::int64_t left = p.price.amountMinor() - claimed;
        if (claimed > 0 && left <= 0)
            throw ServiceError(Kind::Conflict, "already_refunded",
                               "This purchase is already being refunded.");
        amount = amountMinor.value_or(left);
        if (amount > left)
            throw ServiceError(Kind::Unprocessable, "refund_too_large",
                               "At most " + core::Money(left, p.price.currency()).format() +
                                   " of this purchase is left to refund.");
        if (p.depositId) {
            auto d =
                conn->exec("SELECT provider, charge_amount_minor, charge_currency FROM deposits "
                           "WHERE id = $1",
                           {std::to_string(*p.depositId)});
            via = d.text(0, 0);
            // A part of a charge taken in another currency (or amount) has no exact price.
            if (amount < p.price.amountMinor() &&
                (d.int64(0, 1) != p.price.amountMinor() ||
                 d.text(0, 2) != std::string(p.price.currency().code())))
                throw ServiceError(Kind::Unprocessable, "partial_refund_unavailable",
                                   "This payment was charged in another amount or currency; "
                                   "refund it whole.");
        }
        conn->exec("INSERT INTO refunds (public_id, purchase_public_id, buyer_id, video_id, "
                   "amount_minor, currency, via, reason, admin_id) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   {refundId, purchasePublicId, std::to_string(p.buyer.value),
                    std::to_string(p.videoId), std::to_string(amount),
                    std::string(p.price.currency().code()), via, reason,
                    std::to_string(admin.id.value)});
        tx.commit();
    }
    const core::Money refunded(amount, p.price.currency());
    const auto giveClaimBack = [&] {
        pool_.acquire()->exec("DELETE FROM refunds WHERE public_id = $1", {refundId});
    };
    bool providerRefunded = false;
    if (p.depositId && amount > 0) {
        try {
            // The whole price: whatever is left of the charge (maybe in another currency).
            payments_.refundDeposit(p.depositPublicId,
                                    amount < p.price.amountMinor() ? std::optional(refunded)
                                                                   : std::nullopt,
                                    admin.username, refundId);
            providerRefunded = true;
        } catch (const ServiceError& e) {
            if (e.code() != "not_refundable") {
                giveClaimBack();
                throw;
            }
            via = "wallet"; // no refund API (bank transfer): the buyer's wallet gets it
        } catch (...) {
            giveClaimBack();
            throw;
        }
    }
    auto conn = pool_.acquire();
    return db::retryTransientConflicts([&] {
        db::PgTransaction tx(*conn);
        std::vector<ledger::Posting> postings;
        std::optional<std::int64_t> txId;
        const auto& currency = p.price.currency();
        // Locked first, so racing parts count each other's completed refunds. (The provider's
        // own refund notification may have reversed it, whole, already.)
        const bool open =
            conn->exec("SELECT 1 FROM purchases WHERE id = $1 FOR UPDATE", {std::to_string(p.id)})
                .rows() > 0;
        const std::int64_t before = refundParts(*conn, purchasePublicId).completedMinor;
        const bool whole = before + amount >= p.price.amountMinor();
        if (open) {
            if (providerRefunded) {
                auto d = payments::DepositLedger::lockById(*conn, *p.depositId);
                payments::DepositReversal::reverse(
                    *conn, *d, payments::PaymentStatus::Refunded,
                    whole ? d->charge : core::Money(before + amount, d->charge.currency()),
                    &postings);
            } else {
                txId = reverseWalletSale(*conn, p, before, amount, postings);
            }
            if (whole)
                conn->exec("DELETE FROM purchases WHERE id = $1", {std::to_string(p.id)});
        }
        conn->exec("UPDATE refunds SET via = $2, transaction_id = $3, completed_at = now() "
                   "WHERE public_id = $1",
                   {refundId, via, txId ? db::SqlParam(std::to_string(*txId)) : std::nullopt});
        const json reversal = describe(*conn, postings, currency);
        AuditLog::record(*conn, admin.id, "purchase.refund", "purchase:" + purchasePublicId, reason,
                         {{"via", via}, {"amount", refunded.toJson()}, {"whole", whole}});
        const json body = {{"refund",
                            {{"id", refundId},
                             {"purchase", purchasePublicId},
                             {"amount", settings::moneyJson(refunded)},
                             {"whole", whole},
                             {"via", via},
                             {"reason", reason}}},
                           {"reversal", reversal}};
        tx.commit();
        return body;
    });
}

std::optional<std::int64_t>
RefundService::reverseWalletSale(db::PgConnection& conn, const PurchaseRow& p, std::int64_t before,
                                 std::int64_t amount, std::vector<ledger::Posting>& postings) {
    const auto sale = ledger::SaleLedger::shares(conn, p.id);
    if (!sale.transactionId || amount <= 0)
        return std::nullopt;
    const auto& currency = p.price.currency();
    // Back to where the price came from (the buyer's entries in the sale), deposited money
    // first: after a cumulative R, min(R, drawn from deposited) went there, then earnings up to
    // what they gave, the rest (a price paid through a clearing account) to deposited money.
    const std::int64_t deposited = ledger::Ledger::walletAccount(conn, p.buyer, currency);
    const std::int64_t earnings =
        ledger::Ledger::userAccount(conn, ledger::AccountKind::Earnings, p.buyer, currency);
    auto drawn = conn.exec(
        "SELECT account_id, -amount_minor FROM ledger_entries WHERE "
        "transaction_id = $1 AND amount_minor < 0 AND account_id IN ($2, $3)",
        {std::to_string(*sale.transactionId), std::to_string(deposited), std::to_string(earnings)});
    std::int64_t fromDeposited = 0, fromEarnings = 0;
    for (int r = 0; r < drawn.rows(); ++r)
        (drawn.int64(r, 0) == deposited ? fromDeposited : fromEarnings) += drawn.int64(r, 1);
    const auto toEarnings = [&](std::int64_t reversed) {
        return std::clamp<std::int64_t>(reversed - fromDeposited, 0, fromEarnings);
    };
    const std::int64_t earningsBack = toEarnings(before + amount) - toEarnings(before);
    postings.push_back({deposited, "reversal", amount - earningsBack});
    postings.push_back({earnings, "reversal", earningsBack});
    auto ids = ledger::SaleLedger::shareAccounts(conn, sale);
    ids.push_back(deposited);
    ids.push_back(earnings);
    auto balances = ledger::Ledger::lockAccounts(conn, ids);
    ledger::SaleLedger::reverseShares(conn, balances, postings, sale, amount, before);
    return ledger::Ledger::post(conn, "refund", currency, "Refund of a purchase", postings);
}

json RefundService::search(const std::string& q, int limit, int offset) {
    auto conn = pool_.acquire();
    auto r = conn->exec(
        "SELECT p.public_id, b.username, v.public_id, v.title, p.price_minor, p.currency, "
        "p.fee_minor, p.commission_minor, p.creator_minor, coalesce(a.username, ''), "
        "coalesce(d.provider, 'wallet'), " +
            db::isoUtc("p.created_at") +
            ", (SELECT coalesce(sum(f.amount_minor), 0) FROM refunds f WHERE "
            "f.purchase_public_id = p.public_id)"
            " FROM purchases p JOIN users b ON b.id = p.buyer_id "
            "JOIN videos v ON v.id = p.video_id LEFT JOIN users a ON a.id = p.affiliate_id "
            "LEFT JOIN deposits d ON d.purchase_id = p.id "
            "WHERE $1 = '' OR b.username_norm = lower($1) OR v.public_id = $1 OR "
            "p.public_id = $1 OR v.title ILIKE '%' || replace(replace(replace($1, '\\', '\\\\'), "
            "'%', '\\%'), '_', '\\_') || '%' "
            "ORDER BY p.id DESC LIMIT $2 OFFSET $3",
        {q, std::to_string(limit), std::to_string(offset)});
    json out = json::array();
    for (int i = 0; i < r.rows(); ++i) {
        const auto currency = core::Currency::fromCode(r.text(i, 5));
        const auto money = [&](int c) {
            return settings::moneyJson(core::Money(r.int64(i, c), currency));
        };
        out.push_back(
            {{"id", r.text(i, 0)},
             {"buyer", r.text(i, 1)},
             {"video", {{"id", r.text(i, 2)}, {"title", r.text(i, 3)}}},
             {"price", money(4)},
             {"fee", money(6)},
             {"commission", money(7)},
             {"creator_net", money(8)},
             {"affiliate", r.text(i, 9).empty() ? json() : json(r.text(i, 9))},
             {"paid_with", r.text(i, 10)},
             {"created_at", r.text(i, 11)},
             // Refunded in parts so far, and what is left to refund.
             {"refunded_part", money(12)},
             {"left", settings::moneyJson(core::Money(r.int64(i, 4) - r.int64(i, 12), currency))}});
    }
    return {{"purchases", out}};
}

} // namespace reelgate::server::money
