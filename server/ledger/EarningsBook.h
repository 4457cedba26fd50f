#pragma once
// Earned money (sales, commissions) in the ledger, inside the caller's transaction. A credit
// first settles what the user owes the platform (their receivable), the rest goes to
// earnings_pending with a hold row that says when it becomes available. mature() moves every
// due hold to the earnings account: accounts locked first, then the hold rows (the ledger's
// one lock order), one balanced 'mature' transaction per user and currency, idempotent (a hold
// is released once). takeBack() reverses part of what a transaction credited a user: from that
// credit's pending hold first, then available earnings; the rest becomes a receivable (never a
// negative balance). Callers lock accountsFor() with every other account beforehand.

#include "accounts/User.h"
#include "db/PgConnection.h"
#include "db/PgPool.h"
#include "ledger/Ledger.h"
#include "reelgate/core/Money.h"

#include <map>
#include <optional>
#include <vector>

namespace reelgate::server::ledger {

struct PendingHold {
    accounts::UserId user;
    std::int64_t amountMinor = 0;
};

class EarningsBook {
public:
    // pending, earnings and receivable accounts of `user` (to lock with the rest).
    static std::vector<std::int64_t> accountsFor(db::PgConnection& conn, accounts::UserId user,
                                                 const core::Currency& currency);
    // Adds the postings crediting `amountMinor` of earnings to `user` (role sale|commission);
    // `balances` (locked) is updated; the pending part is appended to `holds`.
    static void credit(db::PgConnection& conn, std::map<std::int64_t, std::int64_t>& balances,
                       std::vector<Posting>& postings, std::vector<PendingHold>& holds,
                       accounts::UserId user, const core::Currency& currency,
                       std::int64_t amountMinor, const std::string& role);
    // The hold rows of the transaction a caller's statement posts, as a CTE "h" after
    // Ledger::postingCtes() (it reads "t" and the currency $2): `daysParam` names the hold in
    // days, `usersParam` and `amountsParam` the two arrays holdArrays() makes.
    static std::string holdsCte(const std::string& daysParam, const std::string& usersParam,
                                const std::string& amountsParam);
    static std::pair<std::string, std::string> holdArrays(const std::vector<PendingHold>& holds);
    // Takes back up to `amountMinor` of what `transactionId` credited `user`; returns the part
    // that became a receivable.
    static std::int64_t
    takeBack(db::PgConnection& conn, std::map<std::int64_t, std::int64_t>& balances,
             std::vector<Posting>& postings, accounts::UserId user, const core::Currency& currency,
             std::optional<std::int64_t> transactionId, std::int64_t amountMinor);
    // Releases every due hold (of `user`, or of everybody), each group in its own
    // transaction; returns how many groups moved.
    static int mature(db::PgPool& pool, std::optional<accounts::UserId> user);
    // The same on a connection outside any transaction (never hold one and take another).
    static int mature(db::PgConnection& conn, std::optional<accounts::UserId> user);
};

} // namespace reelgate::server::ledger
