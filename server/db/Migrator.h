#pragma once
// Applies forward-only migrations in order, each in its own transaction, recording version,
// name and checksum in schema_migrations. Refuses (throws MigrationError) when an applied
// migration's file changed or the database holds a migration this build does not know.
// Concurrent servers serialize on a PostgreSQL advisory lock.

#include "db/Migration.h"
#include "db/PgConnection.h"

#include <stdexcept>
#include <vector>

namespace reelgate::server::db {

class MigrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Migrator {
public:
    explicit Migrator(PgConnection& connection)
        : connection_(connection) {}
    // Returns the names of the migrations applied by this call (empty when up to date).
    std::vector<std::string> migrate(const std::vector<Migration>& migrations);

private:
    PgConnection& connection_;
};

} // namespace reelgate::server::db
