#include "ledger/SaleLedger.h"

#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/SqlText.h"
#include "ledger/EarningsBook.h"
#include "ledger/Ledger.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>

namespace reelgate::server::ledger {

LockedSale SaleLedger::lock(db::PgConnection& conn, const SaleInput& input) {
    LockedSale sale{input, {}, 0, 0, 0};
    const auto& currency = input.price.currency();
    std::vector<std::int64_t> touched;
    if (input.clearingProvider.empty()) {
        sale.payerDeposited = Ledger::walletAccount(conn, input.buyer, currency);
        sale.payerEarnings =
            Ledger::userAccount(conn, AccountKind::Earnings, input.buyer, currency);
        touched = {sale.payerDeposited, sale.payerEarnings};
    } else {
        sale.payerDeposited = Ledger::clearingAccount(conn, input.clearingProvider, currency);
        touched = {sale.payerDeposited};
    }
    sale.platform = Ledger::systemAccount(conn, AccountKind::PlatformRevenue, currency);
    touched.push_back(sale.platform);
    for (const auto id : EarningsBook::accountsFor(conn, input.creator, currency))
        touched.push_back(id);
    if (input.affiliate)
        for (const auto id : EarningsBook::accountsFor(conn, *input.affiliate, currency))
            touched.push_back(id);
    sale.balances = Ledger::lockAccounts(conn, touched);
    return sale;
}

std::int64_t SaleLedger::spendable(const LockedSale& sale) {
    if (!sale.input.clearingProvider.empty())
        return 0;
    return sale.balances.at(sale.payerDeposited) + sale.balances.at(sale.payerEarnings);
}

SaleRecord SaleLedger::record(db::PgConnection& conn, LockedSale& sale) {
    const auto& in = sale.input;
    const auto& currency = in.price.currency();
    const std::int64_t price = in.price.amountMinor();
    const int rateBps = in.affiliate ? std::min(in.affiliateBps, 10000 - in.feeBps) : 0;
    SaleRecord out;
    out.split = core::splitSale(in.price, core::BasisPoints(in.feeBps), core::BasisPoints(rateBps));
    if (price > 0) {
        std::vector<Posting> postings;
        if (in.clearingProvider.empty()) {
            if (spendable(sale) < price)
                throw ServiceError(
                    ServiceError::Kind::PaymentRequired, "insufficient_funds",
                    "Your wallet holds " + core::Money(spendable(sale), currency).format() +
                        " you can spend; this video costs " + in.price.format() + ".");
            const std::int64_t fromDeposited = std::min(price, sale.balances[sale.payerDeposited]);
            postings.push_back({sale.payerDeposited, "purchase", -fromDeposited});
            postings.push_back({sale.payerEarnings, "purchase", -(price - fromDeposited)});
        } else {
            postings.push_back({sale.payerDeposited, "clearing", -price});
        }
        postings.push_back({sale.platform, "fee", out.split->platformFee.amountMinor()});
        std::vector<PendingHold> holds;
        EarningsBook::credit(conn, sale.balances, postings, holds, in.creator, currency,
                             out.split->creatorNet.amountMinor(), "sale");
        if (in.affiliate)
            EarningsBook::credit(conn, sale.balances, postings, holds, *in.affiliate, currency,
                                 out.split->affiliateCommission.amountMinor(), "commission");
        out.transactionId =
            Ledger::post(conn, in.clearingProvider.empty() ? "purchase" : "checkout", currency,
                         "Purchase: " + in.title, std::move(postings));
        EarningsBook::recordHolds(conn, *out.transactionId, currency, holds, in.holdDays);
    }
    out.publicId = core::randomToken(12);
    try {
        auto inserted = conn.exec(
            "INSERT INTO purchases (public_id, buyer_id, video_id, price_minor, currency, "
            "fee_minor, commission_minor, creator_minor, affiliate_id, transaction_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, " +
                db::isoUtc("created_at"),
            {out.publicId, std::to_string(in.buyer.value), std::to_string(in.videoId),
             std::to_string(price), std::string(currency.code()),
             std::to_string(out.split->platformFee.amountMinor()),
             std::to_string(out.split->affiliateCommission.amountMinor()),
             std::to_string(out.split->creatorNet.amountMinor()),
             in.affiliate ? db::SqlParam(std::to_string(in.affiliate->value)) : std::nullopt,
             out.transactionId ? db::SqlParam(std::to_string(*out.transactionId)) : std::nullopt});
        out.purchaseId = inserted.int64(0, 0);
        out.createdAt = inserted.text(0, 1);
    } catch (const db::DbError& e) {
        if (e.sqlState() == "23505")
            throw ServiceError(ServiceError::Kind::Conflict, "already_owned",
                               "You already own this video.");
        throw;
    }
    return out;
}

SaleShares SaleLedger::shares(db::PgConnection& conn, std::int64_t purchaseId) {
    auto r = conn.exec("SELECT p.price_minor, p.currency, p.fee_minor, p.commission_minor, "
                       "v.creator_id, p.affiliate_id, p.transaction_id FROM purchases p "
                       "JOIN videos v ON v.id = p.video_id WHERE p.id = $1",
                       {std::to_string(purchaseId)});
    SaleShares sale;
    sale.purchaseId = purchaseId;
    sale.price = core::Money(r.int64(0, 0), core::Currency::fromCode(r.text(0, 1)));
    sale.feeMinor = r.int64(0, 2);
    sale.commissionMinor = r.int64(0, 3);
    sale.creator = accounts::UserId{r.int64(0, 4)};
    if (!r.isNull(0, 5))
        sale.affiliate = accounts::UserId{r.int64(0, 5)};
    if (!r.isNull(0, 6))
        sale.transactionId = r.int64(0, 6);
    return sale;
}

std::vector<std::int64_t> SaleLedger::shareAccounts(db::PgConnection& conn,
                                                    const SaleShares& sale) {
    const auto& currency = sale.price.currency();
    auto ids = EarningsBook::accountsFor(conn, sale.creator, currency);
    if (sale.affiliate)
        for (const auto id : EarningsBook::accountsFor(conn, *sale.affiliate, currency))
            ids.push_back(id);
    ids.push_back(Ledger::systemAccount(conn, AccountKind::PlatformRevenue, currency));
    return ids;
}

std::int64_t SaleLedger::reverseShares(db::PgConnection& conn,
                                       std::map<std::int64_t, std::int64_t>& balances,
                                       std::vector<Posting>& postings, const SaleShares& sale,
                                       std::int64_t amountMinor, std::int64_t alreadyMinor) {
    __extension__ using Int128 = __int128;
    const std::int64_t price = sale.price.amountMinor();
    if (price <= 0 || amountMinor <= 0)
        return 0;
    alreadyMinor = std::clamp<std::int64_t>(alreadyMinor, 0, price);
    const std::int64_t after = std::min(price, alreadyMinor + amountMinor);
    const auto upTo = [&](std::int64_t share, std::int64_t reversed) {
        return static_cast<std::int64_t>(static_cast<Int128>(share) * reversed / price);
    };
    const auto part = [&](std::int64_t share) {
        return upTo(share, after) - upTo(share, alreadyMinor);
    };
    const auto& currency = sale.price.currency();
    const std::int64_t fee = part(sale.feeMinor);
    const std::int64_t commission = sale.affiliate ? part(sale.commissionMinor) : 0;
    postings.push_back(
        {Ledger::systemAccount(conn, AccountKind::PlatformRevenue, currency), "reversal", -fee});
    std::int64_t owed = 0;
    if (sale.affiliate)
        owed += EarningsBook::takeBack(conn, balances, postings, *sale.affiliate, currency,
                                       sale.transactionId, commission);
    owed += EarningsBook::takeBack(conn, balances, postings, sale.creator, currency,
                                   sale.transactionId, amountMinor - fee - commission);
    return owed;
}

} // namespace reelgate::server::ledger
