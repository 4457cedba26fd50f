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
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    void commit();

private:
    PgConnection& connection_;
    bool done_ = false;
};

} // namespace reelgate::server::db
