#include "payments/DepositReversal.h"

#include "ledger/EarningsBook.h"
#include "ledger/Ledger.h"
#include "ledger/SaleLedger.h"

#include <algorithm>
#include <map>
#include <optional>

namespace reelgate::server::payments {
namespace {

using ledger::Ledger;
using ledger::Posting;

__extension__ using Int128 = __int128;

// part * numerator / denominator, floored, without overflow.
std::int64_t share(std::int64_t part, std::int64_t numerator, std::int64_t denominator) {
    return static_cast<std::int64_t>(static_cast<Int128>(part) * numerator / denominator);
}

} // namespace

std::string DepositReversal::reverse(db::PgConnection& conn, const Deposit& d, PaymentStatus status,
                                     const core::Money& cumulativeCharge,
                                     std::vector<ledger::Posting>* applied) {
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
    const std::int64_t clearing = Ledger::clearingAccount(conn, d.provider, currency);
    std::vector<Posting> postings{{clearing, "clearing", x}};
    if (!row.isNull(0, 1)) {
        const auto sale = ledger::SaleLedger::shares(conn, row.int64(0, 1));
        auto ids = ledger::SaleLedger::shareAccounts(conn, sale);
        ids.push_back(clearing);
        auto balances = Ledger::lockAccounts(conn, ids);
        ledger::SaleLedger::reverseShares(conn, balances, postings, sale, x,
                                          share(total, reversedBefore, d.charge.amountMinor()));
        if (full)
            conn.exec("DELETE FROM purchases WHERE id = $1", {row.text(0, 1)});
    } else {
        // A top-up: from the deposited money; what was spent already is owed (receivable).
        const std::int64_t buyer = Ledger::walletAccount(conn, d.user, currency);
        const std::int64_t receivable =
            Ledger::userAccount(conn, ledger::AccountKind::Receivable, d.user, currency);
        auto balances = Ledger::lockAccounts(conn, {clearing, buyer, receivable});
        const std::int64_t taken = std::min(x, std::max<std::int64_t>(0, balances[buyer]));
        postings.push_back({buyer, "reversal", -taken});
        postings.push_back({receivable, "receivable", -(x - taken)});
    }
    const bool refund = status == PaymentStatus::Refunded;
    if (applied)
        *applied = postings;
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
