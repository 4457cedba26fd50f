#pragma once
// RAII owner of one libpq connection. Not thread-safe: one thread uses a connection at a
// time (PgPool hands them out). All SQL with values goes through exec(sql, params): values are
// sent as parameters ($1, $2 ...), never spliced into the SQL text. A parameter holding a NUL
// byte is refused (DbError 22021): libpq would silently cut it there.

#include "db/PgResult.h"

#include <libpq-fe.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace reelgate::server::db {

using SqlParam = std::optional<std::string>; // nullopt = SQL NULL

class PgConnection {
public:
    // conninfo: a libpq connection string or URL. Throws DbUnavailable when it cannot connect.
    explicit PgConnection(const std::string& conninfo);

    PgResult exec(const std::string& sql, const std::vector<SqlParam>& params = {});
    // The same through a statement prepared on this connection the first time its text is
    // seen, so it is parsed and planned once, not on every call: for the statements of hot
    // paths (a purchase). The text is the key: build it from constants only, never from values.
    PgResult execPrepared(const std::string& sql, const std::vector<SqlParam>& params = {});
    // Several statements in ONE round trip (libpq pipeline mode), each prepared as in
    // execPrepared(); their results in order. When one fails, the ones after it do not run
    // (inside a transaction, it is left failed: roll back) and its error is thrown once the
    // round trip is over.
    struct Statement {
        std::string sql;
        std::vector<SqlParam> params = {};
    };
    std::vector<PgResult> execPipeline(const std::vector<Statement>& statements);
    // Runs a script of several statements (no parameters); for migrations only.
    void execScript(const std::string& sql);

    // Connected and outside any transaction: fit to go back to the pool.
    bool isHealthy() const;
    // isHealthy(), and the server has not closed the connection meanwhile (reads what is
    // pending without blocking).
    bool isAlive();
    PGconn* get() const { return conn_.get(); }

private:
    PgResult check(PGresult* result, const std::string& what);
    // The name `sql` is prepared under on this connection (prepared the first time).
    const std::string& preparedName(const std::string& sql);

    struct Deleter {
        void operator()(PGconn* c) const { PQfinish(c); }
    };
    std::unique_ptr<PGconn, Deleter> conn_;
    std::unordered_map<std::string, std::string> prepared_; // SQL text -> statement name
};

// RAII transaction: BEGIN on construction, ROLLBACK on destruction unless commit() ran.
class PgTransaction {
public:
    explicit PgTransaction(PgConnection& connection);
    // BEGIN and the transaction's first statement (prepared, as execPrepared) in one round
    // trip; the statement's result goes to `first`. Throws as execPrepared (rolled back).
    // With genericPlans (hot paths: a purchase), SET LOCAL plan_cache_mode =
    // force_generic_plan goes with them: the transaction's prepared statements are planned once
    // per connection, not at each execution (PostgreSQL keeps planning a statement anew while
    // its custom plans look cheaper than the generic one: a tenth of a purchase's database time).
    // Only for statements whose generic plan is right (lookups by key, no partial indexes
    // chosen by a parameter's value).
    PgTransaction(PgConnection& connection, const std::string& sql,
                  const std::vector<SqlParam>& params, PgResult& first, bool genericPlans = false);
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    void commit();
    // The transaction's last statement (prepared) and COMMIT in one round trip; its result.
    // When either fails it throws, and the transaction rolls back as without commit().
    PgResult commitWith(const std::string& sql, const std::vector<SqlParam>& params);

private:
    void rollback() noexcept;

    PgConnection& connection_;
    bool done_ = false;
};

} // namespace reelgate::server::db
