#pragma once
// Is the server able to do its job? Today: can it reach and query its database.
// Thread-safe (uses the pool).

#include "db/PgPool.h"

#include <string>

namespace reelgate::server {

struct HealthReport {
    bool databaseOk = false;
    std::string reason; // short, safe to show publicly; empty when healthy
};

class HealthService {
public:
    explicit HealthService(db::PgPool& pool)
        : pool_(pool) {}
    HealthReport check();

private:
    db::PgPool& pool_;
};

} // namespace reelgate::server
