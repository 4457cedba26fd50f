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
    std::vector<AccountName> names{{AccountKind::PlatformRevenue}};
    for (const auto& payee : {std::optional(input.creator), input.affiliate})
        if (payee)
            for (const auto kind :
                 {AccountKind::EarningsPending, AccountKind::Earnings, AccountKind::Receivable})
                names.push_back({kind, payee});
    if (input.clearingProvider.empty())
        for (const auto kind :
             {AccountKind::Wallet, AccountKind::Earnings, AccountKind::EarningsPending})
            names.push_back({kind, input.buyer});
    else
        names.push_back({AccountKind::Invalid, std::nullopt, input.clearingProvider});
    Ledger::openAccounts(conn, currency, names);
    if (input.clearingProvider.empty()) {
        sale.payerDeposited = Ledger::walletAccount(conn, input.buyer, currency);
        sale.payerEarnings =
            Ledger::userAccount(conn, AccountKind::Earnings, input.buyer, currency);
        sale.payerPending =
            Ledger::userAccount(conn, AccountKind::EarningsPending, input.buyer, currency);
        touched = {sale.payerDeposited, sale.payerEarnings, sale.payerPending};
    } else {
        sale.payerDeposited = Ledger::clearingAccount(conn, input.clearingProvider, currency);
        touched = {sale.payerDeposited};
    }
    // Not locked (a system account keeps no balance): every sale posts to it.
    sale.platform = Ledger::systemAccount(conn, AccountKind::PlatformRevenue, currency);
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

std::int64_t SaleLedger::holdings(const LockedSale& sale) {
    if (!sale.input.clearingProvider.empty())
        return 0;
    return spendable(sale) + sale.balances.at(sale.payerPending);
}

SaleRecord SaleLedger::record(db::PgConnection& conn, LockedSale& sale,
                              const std::optional<SaleAnswer>& answer, db::PgTransaction* commit) {
    const auto& in = sale.input;
    const auto& currency = in.price.currency();
    const std::int64_t price = in.price.amountMinor();
    const int rateBps = in.affiliate ? std::min(in.affiliateBps, 10000 - in.feeBps) : 0;
    SaleRecord out;
    out.split = core::splitSale(in.price, core::BasisPoints(in.feeBps), core::BasisPoints(rateBps));
    std::vector<Posting> postings;
    std::vector<PendingHold> holds;
    if (price > 0) {
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
        EarningsBook::credit(conn, sale.balances, postings, holds, in.creator, currency,
                             out.split->creatorNet.amountMinor(), "sale");
        if (in.affiliate)
            EarningsBook::credit(conn, sale.balances, postings, holds, *in.affiliate, currency,
                                 out.split->affiliateCommission.amountMinor(), "commission");
    }
    out.publicId = core::randomToken(12);
    // $1..$8 the posting (none for a free video: no transaction, no holds), $9..$11 the holds,
    // $12..$19 the purchase row, $20..$23 the answer under the buyer's key (none: no row).
    auto params = Ledger::postingParams(in.clearingProvider.empty() ? "purchase" : "checkout",
                                        currency, "Purchase: " + in.title, std::move(postings));
    const auto [holdUsers, holdAmounts] = EarningsBook::holdArrays(holds);
    for (db::SqlParam p :
         {db::SqlParam(std::to_string(in.holdDays)), db::SqlParam(holdUsers),
          db::SqlParam(holdAmounts), db::SqlParam(out.publicId),
          db::SqlParam(std::to_string(in.buyer.value)), db::SqlParam(std::to_string(in.videoId)),
          db::SqlParam(std::to_string(price)),
          db::SqlParam(std::to_string(out.split->platformFee.amountMinor())),
          db::SqlParam(std::to_string(out.split->affiliateCommission.amountMinor())),
          db::SqlParam(std::to_string(out.split->creatorNet.amountMinor())),
          in.affiliate ? db::SqlParam(std::to_string(in.affiliate->value)) : std::nullopt})
        params.push_back(std::move(p));
    params.push_back(answer ? db::SqlParam(answer->key) : std::nullopt);
    params.push_back(answer ? db::SqlParam(answer->requestHash) : std::nullopt);
    params.push_back(answer ? db::SqlParam(std::to_string(answer->status)) : std::nullopt);
    params.push_back(answer ? db::SqlParam(answer->body.dump()) : std::nullopt);
    static const std::string statement =
        "WITH " + Ledger::postingCtes() + ", " + EarningsBook::holdsCte("$9", "$10", "$11") +
        ", p AS (INSERT INTO purchases (public_id, buyer_id, video_id, price_minor, currency, "
        "fee_minor, commission_minor, creator_minor, affiliate_id, transaction_id) "
        "SELECT $12::text, $13::bigint, $14::bigint, $15::bigint, $2::text, $16::bigint, "
        "$17::bigint, $18::bigint, $19::bigint, (SELECT id FROM t) RETURNING id, created_at), "
        "k AS (INSERT INTO idempotency_keys (user_id, key, request_hash, status, response) "
        "SELECT $13::bigint, $20::text, $21::text, $22::int, jsonb_set(jsonb_set($23::jsonb, "
        "'{purchase,id}', to_jsonb($12::text)), '{purchase,created_at}', to_jsonb(" +
        db::isoUtc("p.created_at") +
        ")) FROM p WHERE $20::text IS NOT NULL) "
        "SELECT p.id, " +
        db::isoUtc("p.created_at") + ", (SELECT id FROM t) FROM p";
    try {
        auto row =
            commit ? commit->commitWith(statement, params) : conn.execPrepared(statement, params);
        out.purchaseId = row.int64(0, 0);
        out.createdAt = row.text(0, 1);
        if (!row.isNull(0, 2))
            out.transactionId = row.int64(0, 2);
    } catch (const db::DbError& e) {
        if (e.sqlState() == "23505" && !answer)
            throw ServiceError(ServiceError::Kind::Conflict, "already_owned",
                               "You already own this video.");
        Ledger::rethrowPostError(e);
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
