#pragma once
// The double-entry ledger (sql/0004, 0015): transactions whose entries sum to zero. User
// accounts keep a cached balance row; system accounts (platform revenue, operator funding,
// clearing_*) keep none (their balance is the sum of their entries, computed when read), so a
// posting never locks a row shared by every purchase. Account ids (user and system) are cached
// per process once their row is committed: a purchase looks none up after its first.
// Every function works on a connection already inside a PgTransaction, so a movement and
// whatever it pays for (a purchase, an access grant) commit or vanish together.
// Row locks are taken in ONE global order, ascending account id: a transaction that needs
// balances first locks every user account it will touch with lockAccounts() (one statement),
// so two transactions over the same accounts never wait for each other in a cycle.
// post() updates user balances in that order too; a wallet that would go negative makes it
// throw ServiceError "insufficient_funds". Callers retry 40001/40P01 (db/TransactionRetry.h).
// post() writes the user balances, the transaction and its entries in ONE statement; the
// database checks at the end of that statement that the transaction balances in one currency
// (sql/0015).

#include "accounts/User.h"
#include "db/DbError.h"
#include "db/PgConnection.h"
#include "reelgate/core/Money.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::ledger {

// Per user and currency (sql/0009): Wallet = deposited money (spendable, never withdrawable),
// EarningsPending (inside the hold), Earnings (available: spendable and withdrawable),
// WithdrawalHeld (in a withdrawal awaiting payout), Receivable (<= 0: owed to the platform).
enum class AccountKind {
    Invalid = 0,
    Wallet,
    EarningsPending,
    Earnings,
    WithdrawalHeld,
    Receivable,
    PlatformRevenue,
    OperatorFunding
};

struct Posting {
    std::int64_t accountId = 0;
    std::string role; // credit | funding | purchase | sale | fee | commission ... (sql/0009)
    std::int64_t amountMinor = 0;
};

// An account by name: a user's (kind Wallet .. Receivable, with user), a system account (kind
// PlatformRevenue or OperatorFunding) or a provider's clearing account (clearingProvider set).
struct AccountName {
    AccountKind kind = AccountKind::Invalid;
    std::optional<accounts::UserId> user = {};
    std::string clearingProvider = {};
};

class Ledger {
public:
    // Creates, in ONE statement, those of `accounts` (in `currency`) not known to exist, in the
    // one order every such creation follows (kind, then user): two transactions that create
    // each other's accounts at once (two creators buying each other's videos for the first
    // time) then wait for one another instead of deadlocking, as they would creating them one
    // by one in different orders. Call it first, then look the accounts up. Nothing is asked
    // of the database when every account is already known.
    static void openAccounts(db::PgConnection& conn, const core::Currency& currency,
                             const std::vector<AccountName>& accounts);
    // The account's id, created on first use.
    static std::int64_t walletAccount(db::PgConnection& conn, accounts::UserId user,
                                      const core::Currency& currency);
    // The user's account of `kind` (Wallet .. Receivable), created on first use.
    static std::int64_t userAccount(db::PgConnection& conn, AccountKind kind, accounts::UserId user,
                                    const core::Currency& currency);
    static std::int64_t systemAccount(db::PgConnection& conn, AccountKind kind,
                                      const core::Currency& currency);
    // The clearing account of a payment provider ("stripe", "bank" ...: 2-20 lowercase
    // letters) in `currency`: money the provider holds for the platform (negative by design).
    static std::int64_t clearingAccount(db::PgConnection& conn, const std::string& provider,
                                        const core::Currency& currency);
    // Locks the wallet row (SELECT ... FOR UPDATE) and returns its balance.
    static std::int64_t lockBalance(db::PgConnection& conn, std::int64_t accountId);
    // Locks every user account in `accountIds` (duplicates allowed; system accounts are
    // skipped and absent from the result) in ascending id order and returns their balances. A
    // transaction that reads a balance and then posts to other accounts locks them all here first
    // (lockBalance alone would break the order).
    static std::map<std::int64_t, std::int64_t> lockAccounts(db::PgConnection& conn,
                                                             std::vector<std::int64_t> accountIds);
    // Records one transaction; returns its id. Postings with amount 0 are dropped; the rest
    // must sum to zero (std::logic_error otherwise: a bug, not bad input).
    static std::int64_t post(db::PgConnection& conn, const std::string& kind,
                             const core::Currency& currency, const std::string& memo,
                             std::vector<Posting> postings);

    // post() as parts of a caller's larger statement (one round trip for a posting and what it
    // pays for): postingCtes() are the CTEs "u" (user balances), "t" (the transaction, RETURNING
    // id; no row when there are no postings) and "e" (the entries) over $1..$8, which
    // postingParams() fills (no postings is allowed here: nothing is posted). Run the statement
    // with execPrepared and pass a DbError it throws to rethrowPostError().
    static std::string postingCtes();
    static std::vector<db::SqlParam> postingParams(const std::string& kind,
                                                   const core::Currency& currency,
                                                   const std::string& memo,
                                                   std::vector<Posting> postings);
    // Called inside the catch block: ServiceError insufficient_funds when the error is a user
    // balance going negative; rethrows the exception being handled otherwise.
    [[noreturn]] static void rethrowPostError(const db::DbError& error);
};

} // namespace reelgate::server::ledger
