#include "ledger/Ledger.h"

#include "common/ServiceError.h"
#include "db/DbError.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>

namespace reelgate::server::ledger {
namespace {

const char* kindName(AccountKind kind) {
    switch (kind) {
    case AccountKind::Wallet:
        return "wallet";
    case AccountKind::EarningsPending:
        return "earnings_pending";
    case AccountKind::Earnings:
        return "earnings";
    case AccountKind::WithdrawalHeld:
        return "withdrawal_held";
    case AccountKind::Receivable:
        return "receivable";
    case AccountKind::PlatformRevenue:
        return "platform_revenue";
    case AccountKind::OperatorFunding:
        return "operator_funding";
    case AccountKind::Invalid:
        break;
    }
    throw std::logic_error("ledger account kind not set");
}

// Account ids by "kind/user/currency" (user empty for a system account), kept once a row is
// known to be committed: ids never change and accounts are never deleted, so an entry never
// goes stale. User accounts are dropped all at once past kMaxCachedUserAccounts (memory bound).
constexpr std::size_t kMaxCachedUserAccounts = 200000;

struct AccountCache {
    std::mutex mutex;
    std::map<std::string, std::int64_t> systemByKey;
    std::set<std::int64_t> systemIds;
    std::map<std::string, std::int64_t> userByKey;
};

AccountCache& accountCache() {
    static AccountCache cache;
    return cache;
}

bool isKnownSystem(std::int64_t id) {
    auto& cache = accountCache();
    std::lock_guard lock(cache.mutex);
    return cache.systemIds.contains(id);
}

std::string arrayOf(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1)
            out += ',';
        out += '"' + item + '"'; // roles and numbers only: no quote or backslash inside
    }
    return out + '}';
}

// One round trip when the account exists, three the first time; none once cached.
std::int64_t account(db::PgConnection& conn, const std::string& kind, const db::SqlParam& user,
                     const core::Currency& currency) {
    auto& cache = accountCache();
    const std::string code(currency.code());
    const std::string key = kind + "/" + user.value_or("") + "/" + code;
    auto& byKey = user ? cache.userByKey : cache.systemByKey;
    {
        std::lock_guard lock(cache.mutex);
        if (auto it = byKey.find(key); it != byKey.end())
            return it->second;
    }
    // The second column says whether the row is visible to everyone (not created earlier in
    // this transaction, which could still roll back): only such a row is cached.
    // user_id = $2, not IS NOT DISTINCT FROM: only an equality reaches the unique index by
    // user (the other form scanned every account of the kind).
    const char* select =
        user ? "SELECT id, xmin::text::bigint IS DISTINCT FROM "
               "(txid_current_if_assigned() % 4294967296) FROM ledger_accounts WHERE kind = $1 AND "
               "user_id = $2::bigint AND currency = $3"
             : "SELECT id, xmin::text::bigint IS DISTINCT FROM "
               "(txid_current_if_assigned() % 4294967296) FROM ledger_accounts WHERE kind = $1 AND "
               "user_id IS NULL AND $2::bigint IS NULL AND currency = $3";
    auto rows = conn.exec(select, {kind, user, code});
    if (rows.rows() == 0) {
        // The unique key makes the insert a no-op for a concurrent twin; read it back then.
        conn.exec("INSERT INTO ledger_accounts (kind, user_id, currency) VALUES ($1, $2, $3) "
                  "ON CONFLICT (kind, user_id, currency) DO NOTHING",
                  {kind, user, code});
        rows = conn.exec(select, {kind, user, code});
    }
    const std::int64_t id = rows.int64(0, 0);
    if (rows.text(0, 1) == "t") {
        std::lock_guard lock(cache.mutex);
        if (user && byKey.size() >= kMaxCachedUserAccounts)
            byKey.clear();
        byKey.emplace(key, id);
        if (!user)
            cache.systemIds.insert(id);
    }
    return id;
}

bool isCached(const std::string& kind, const db::SqlParam& user, const core::Currency& currency) {
    auto& cache = accountCache();
    const auto& byKey = user ? cache.userByKey : cache.systemByKey;
    std::lock_guard lock(cache.mutex);
    return byKey.contains(kind + "/" + user.value_or("") + "/" + std::string(currency.code()));
}

std::string providerKind(const std::string& provider) {
    if (provider.size() < 2 || provider.size() > 20 ||
        !std::all_of(provider.begin(), provider.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        throw std::logic_error("not a provider name");
    return "clearing_" + provider;
}

} // namespace

void Ledger::openAccounts(db::PgConnection& conn, const core::Currency& currency,
                          const std::vector<AccountName>& accounts) {
    std::set<std::pair<std::string, std::int64_t>> missing; // (kind, user or -1): sorted
    for (const auto& name : accounts) {
        const std::string kind = name.clearingProvider.empty()
                                     ? kindName(name.kind)
                                     : providerKind(name.clearingProvider);
        const db::SqlParam user =
            name.user ? db::SqlParam(std::to_string(name.user->value)) : std::nullopt;
        if (!isCached(kind, user, currency))
            missing.emplace(kind, name.user ? name.user->value : -1);
    }
    if (missing.empty())
        return;
    std::string kinds = "{", users = "{";
    for (const auto& [kind, user] : missing) {
        kinds += (kinds.size() > 1 ? "," : "") + kind; // lowercase names: nothing to quote
        users += (users.size() > 1 ? "," : "") + (user < 0 ? "NULL" : std::to_string(user));
    }
    // ORDER BY fixes the order the rows are inserted (and waited for) in.
    conn.execPrepared("INSERT INTO ledger_accounts (kind, user_id, currency) "
                      "SELECT k, u, $3 FROM unnest($1::text[], $2::bigint[]) AS a(k, u) "
                      "ORDER BY k, u NULLS FIRST ON CONFLICT (kind, user_id, currency) DO NOTHING",
                      {kinds + "}", users + "}", std::string(currency.code())});
}

std::int64_t Ledger::walletAccount(db::PgConnection& conn, accounts::UserId user,
                                   const core::Currency& currency) {
    return account(conn, "wallet", std::to_string(user.value), currency);
}

std::int64_t Ledger::userAccount(db::PgConnection& conn, AccountKind kind, accounts::UserId user,
                                 const core::Currency& currency) {
    if (kind == AccountKind::PlatformRevenue || kind == AccountKind::OperatorFunding)
        throw std::logic_error("a system account belongs to no user");
    return account(conn, kindName(kind), std::to_string(user.value), currency);
}

std::int64_t Ledger::systemAccount(db::PgConnection& conn, AccountKind kind,
                                   const core::Currency& currency) {
    if (kind != AccountKind::PlatformRevenue && kind != AccountKind::OperatorFunding)
        throw std::logic_error("this account belongs to a user");
    return account(conn, kindName(kind), std::nullopt, currency);
}

std::int64_t Ledger::clearingAccount(db::PgConnection& conn, const std::string& provider,
                                     const core::Currency& currency) {
    return account(conn, providerKind(provider), std::nullopt, currency);
}

std::int64_t Ledger::lockBalance(db::PgConnection& conn, std::int64_t accountId) {
    auto rows = conn.exec("SELECT balance_minor FROM ledger_accounts WHERE id = $1 FOR UPDATE",
                          {std::to_string(accountId)});
    return rows.int64(0, 0);
}

std::map<std::int64_t, std::int64_t> Ledger::lockAccounts(db::PgConnection& conn,
                                                          std::vector<std::int64_t> accountIds) {
    std::erase_if(accountIds, isKnownSystem);
    std::vector<std::string> ids;
    for (const auto id : accountIds)
        ids.push_back(std::to_string(id));
    // ORDER BY is applied before FOR UPDATE locks, so the rows are locked in ascending id
    // order in one round trip. System accounts keep no balance and are never locked.
    auto rows =
        conn.execPrepared("SELECT id, balance_minor FROM ledger_accounts WHERE id = ANY($1) "
                          "AND user_id IS NOT NULL ORDER BY id FOR UPDATE",
                          {arrayOf(ids)});
    std::map<std::int64_t, std::int64_t> balances;
    for (int r = 0; r < rows.rows(); ++r)
        balances[rows.int64(r, 0)] = rows.int64(r, 1);
    return balances;
}

std::vector<db::SqlParam> Ledger::postingParams(const std::string& kind,
                                                const core::Currency& currency,
                                                const std::string& memo,
                                                std::vector<Posting> postings) {
    std::erase_if(postings, [](const Posting& p) { return p.amountMinor == 0; });
    std::int64_t sum = 0;
    bool overflow = false;
    std::map<std::int64_t, std::int64_t> userDeltas; // ascending id: the lock order
    for (const auto& p : postings) {
        overflow = overflow || __builtin_add_overflow(sum, p.amountMinor, &sum);
        if (!isKnownSystem(p.accountId))
            overflow = overflow || __builtin_add_overflow(userDeltas[p.accountId], p.amountMinor,
                                                          &userDeltas[p.accountId]);
    }
    if (overflow || sum != 0)
        throw std::logic_error("ledger postings do not balance");
    for (const auto& p : postings)
        if (std::any_of(p.role.begin(), p.role.end(),
                        [](char c) { return !(c == '_' || (c >= 'a' && c <= 'z')); }))
            throw std::logic_error("not a ledger role");

    std::vector<std::string> accounts, roles, amounts, userIds, userDeltaText;
    for (const auto& p : postings) {
        accounts.push_back(std::to_string(p.accountId));
        roles.push_back(p.role);
        amounts.push_back(std::to_string(p.amountMinor));
    }
    for (const auto& [id, delta] : userDeltas)
        if (delta != 0) {
            userIds.push_back(std::to_string(id));
            userDeltaText.push_back(std::to_string(delta));
        }
    return {kind,
            std::string(currency.code()),
            memo,
            arrayOf(accounts),
            arrayOf(roles),
            arrayOf(amounts),
            arrayOf(userIds),
            arrayOf(userDeltaText)};
}

std::string Ledger::postingCtes() {
    // The balances change in ascending id order (callers that read balances locked them in
    // that order already); a system account (user_id NULL, not yet cached) keeps no running
    // balance. The statement-level trigger of sql/0015 checks at the end of the statement that
    // the transaction balances.
    return "u AS (UPDATE ledger_accounts a SET balance_minor = a.balance_minor + d.delta "
           "FROM unnest($7::bigint[], $8::bigint[]) AS d(id, delta) "
           "WHERE a.id = d.id AND a.id = ANY($7::bigint[]) AND a.user_id IS NOT NULL), "
           "t AS (INSERT INTO ledger_transactions (kind, currency, memo) "
           "SELECT $1, $2, $3 WHERE cardinality($4::bigint[]) > 0 RETURNING id), "
           "e AS (INSERT INTO ledger_entries (transaction_id, account_id, role, amount_minor) "
           "SELECT t.id, p.account, p.role, p.amount FROM t, "
           "unnest($4::bigint[], $5::text[], $6::bigint[]) AS p(account, role, amount))";
}

void Ledger::rethrowPostError(const db::DbError& e) {
    // check_violation on an account: a user balance would go negative (or a receivable
    // positive).
    if (e.sqlState() == "23514" &&
        std::string_view(e.what()).find("\"ledger_accounts\"") != std::string_view::npos)
        throw ServiceError(ServiceError::Kind::PaymentRequired, "insufficient_funds",
                           "Your wallet does not hold enough for this.");
    throw; // the exception being handled, whatever its type
}

std::int64_t Ledger::post(db::PgConnection& conn, const std::string& kind,
                          const core::Currency& currency, const std::string& memo,
                          std::vector<Posting> postings) {
    if (std::none_of(postings.begin(), postings.end(),
                     [](const Posting& p) { return p.amountMinor != 0; }))
        throw std::logic_error("ledger postings do not balance");
    auto params = postingParams(kind, currency, memo, std::move(postings));
    // The user balances, the transaction and all its entries in ONE statement (one round trip).
    try {
        return conn.execPrepared("WITH " + postingCtes() + " SELECT id FROM t", params).int64(0, 0);
    } catch (const db::DbError& e) {
        rethrowPostError(e);
    }
}

} // namespace reelgate::server::ledger
