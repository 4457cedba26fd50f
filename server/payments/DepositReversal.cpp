#include "payments/DepositReversal.h"

#include "wallet/Ledger.h"

#include <algorithm>
#include <map>
#include <optional>

namespace reelgate::server::payments {
namespace {

using wallet::Ledger;
using wallet::Posting;

__extension__ using Int128 = __int128;

// part * numerator / denominator, floored, without overflow.
std::int64_t share(std::int64_t part, std::int64_t numerator, std::int64_t denominator) {
    return static_cast<std::int64_t>(static_cast<Int128>(part) * numerator / denominator);
}

// Takes `amount` back from a wallet (balances locked beforehand, in the ledger's order): at most
// its balance; the rest is the platform's loss.
void takeBack(std::map<std::int64_t, std::int64_t>& balances, std::vector<Posting>& postings,
              std::int64_t wallet, std::int64_t amount, std::int64_t& loss) {
    const std::int64_t taken = std::min(amount, std::max<std::int64_t>(0, balances[wallet]));
    balances[wallet] -= taken;
    postings.push_back({wallet, "reversal", -taken});
    loss += amount - taken;
}

} // namespace

std::string DepositReversal::reverse(db::PgConnection& conn, const Deposit& d, PaymentStatus status,
                                     const core::Money& cumulativeCharge) {
    auto row = conn.exec("SELECT reversed_minor, purchase_id FROM deposits WHERE id = $1",
                         {std::to_string(d.id)});
    const std::int64_t reversedBefore = row.int64(0, 0);
    const std::int64_t target = std::min(cumulativeCharge.amountMinor(), d.charge.amountMinor());
    if (target <= reversedBefore)
        return "already_reversed";
    // In the deposit's own currency, in proportion to the charge (converted charges).
    const std::int64_t total = d.amount.amountMinor();
    const std::int64_t x = share(total, target, d.charge.amountMinor()) -
                           share(total, reversedBefore, d.charge.amountMinor());
    const auto& currency = d.amount.currency();
    const bool full = target == d.charge.amountMinor();
    std::vector<Posting> postings{
        {Ledger::clearingAccount(conn, d.provider, currency), "clearing", x}};
    std::int64_t loss = 0;
    const std::int64_t platform =
        Ledger::systemAccount(conn, wallet::AccountKind::PlatformRevenue, currency);
    if (!row.isNull(0, 1)) {
        auto sale = conn.exec("SELECT p.price_minor, p.fee_minor, p.commission_minor, "
                              "p.affiliate_id, v.creator_id FROM purchases p "
                              "JOIN videos v ON v.id = p.video_id WHERE p.id = $1",
                              {row.text(0, 1)});
        const std::int64_t price = sale.int64(0, 0);
        const std::int64_t fee = share(sale.int64(0, 1), x, price);
        const std::int64_t commission = share(sale.int64(0, 2), x, price);
        const std::int64_t creator =
            Ledger::walletAccount(conn, accounts::UserId{sale.int64(0, 4)}, currency);
        std::optional<std::int64_t> affiliate;
        if (!sale.isNull(0, 3))
            affiliate = Ledger::walletAccount(conn, accounts::UserId{sale.int64(0, 3)}, currency);
        auto balances = Ledger::lockAccounts(
            conn, {postings[0].accountId, platform, creator, affiliate.value_or(creator)});
        postings.push_back({platform, "reversal", -fee});
        if (affiliate)
            takeBack(balances, postings, *affiliate, commission, loss);
        takeBack(balances, postings, creator, x - fee - commission, loss);
        if (full)
            conn.exec("DELETE FROM purchases WHERE id = $1", {row.text(0, 1)});
    } else {
        const std::int64_t buyer = Ledger::walletAccount(conn, d.user, currency);
        auto balances = Ledger::lockAccounts(conn, {postings[0].accountId, platform, buyer});
        takeBack(balances, postings, buyer, x, loss);
    }
    if (loss > 0)
        postings.push_back({platform, "loss", -loss});
    const bool refund = status == PaymentStatus::Refunded;
    Ledger::post(conn, refund ? "refund" : "dispute", currency,
                 std::string(refund ? "Refund" : "Dispute") + " of payment " + d.reference,
                 std::move(postings));
    conn.exec("UPDATE deposits SET reversed_minor = $2, status = CASE WHEN $3 THEN $4 ELSE "
              "status END WHERE id = $1",
              {std::to_string(d.id), std::to_string(target), full ? "true" : "false",
               refund ? "refunded" : "disputed"});
    return "reversed";
}

} // namespace reelgate::server::payments
