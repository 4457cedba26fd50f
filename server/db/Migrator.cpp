#include "db/Migrator.h"

#include <map>

namespace reelgate::server::db {
namespace {

constexpr const char* kLockKey = "7429346213"; // arbitrary constant shared by all servers

struct AdvisoryLock {
    explicit AdvisoryLock(PgConnection& c)
        : connection(c) {
        connection.exec("SELECT pg_advisory_lock($1::bigint)", {kLockKey});
    }
    ~AdvisoryLock() {
        try {
            connection.exec("SELECT pg_advisory_unlock($1::bigint)", {kLockKey});
        } catch (...) {
            // Session locks die with the connection anyway.
        }
    }
    PgConnection& connection;
};

} // namespace

std::vector<std::string> Migrator::migrate(const std::vector<Migration>& migrations) {
    AdvisoryLock lock(connection_);
    connection_.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version integer PRIMARY KEY,"
                     " name text NOT NULL,"
                     " checksum text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())");

    std::map<int, std::pair<std::string, std::string>> applied; // version -> (name, checksum)
    auto rows = connection_.exec("SELECT version, name, checksum FROM schema_migrations");
    for (int r = 0; r < rows.rows(); ++r)
        applied[static_cast<int>(rows.int64(r, 0))] = {rows.text(r, 1), rows.text(r, 2)};

    std::map<int, const Migration*> known;
    for (const auto& m : migrations)
        known[m.version] = &m;
    for (const auto& [version, record] : applied) {
        auto it = known.find(version);
        if (it == known.end())
            throw MigrationError("the database has migration " + record.first +
                                 " which this server does not know: the database was "
                                 "migrated by a newer Reelgate; upgrade this server");
        if (it->second->checksum != record.second)
            throw MigrationError("migration " + it->second->name +
                                 " changed after it was applied (recorded "
                                 "checksum " +
                                 record.second.substr(0, 12) + "..., file " +
                                 it->second->checksum.substr(0, 12) +
                                 "...). Migrations are forward-only: "
                                 "restore the original file and put the change in a new migration");
    }

    std::vector<std::string> done;
    for (const auto& m : migrations) {
        if (applied.count(m.version))
            continue;
        PgTransaction tx(connection_);
        try {
            connection_.execScript(m.sql);
        } catch (const std::exception& e) {
            throw MigrationError("migration " + m.name + " failed: " + e.what());
        }
        connection_.exec("INSERT INTO schema_migrations (version, name, checksum) "
                         "VALUES ($1, $2, $3)",
                         {std::to_string(m.version), m.name, m.checksum});
        tx.commit();
        done.push_back(m.name);
    }
    return done;
}

} // namespace reelgate::server::db
