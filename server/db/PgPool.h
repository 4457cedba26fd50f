#pragma once
// A bounded pool of PostgreSQL connections, opened lazily. Thread-safe.
// acquire() hands out a Lease that returns the connection when it goes out of scope; a
// connection left broken or inside a transaction is closed instead of reused.

#include "db/PgConnection.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace reelgate::server::db {

class PgPool {
public:
    class Lease {
    public:
        Lease(PgPool& pool, std::unique_ptr<PgConnection> connection)
            : pool_(&pool)
            , connection_(std::move(connection)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        PgConnection& operator*() { return *connection_; }
        PgConnection* operator->() { return connection_.get(); }

    private:
        PgPool* pool_;
        std::unique_ptr<PgConnection> connection_;
    };

    PgPool(std::string conninfo, std::size_t maxConnections);

    // Waits up to `wait` for a free connection; throws DbUnavailable when the database cannot
    // be reached or the pool stays exhausted.
    Lease acquire(std::chrono::milliseconds wait = std::chrono::seconds(10));

    // Closes idle connections (e.g. before the embedded database stops).
    void closeIdle();

    const std::string& conninfo() const { return conninfo_; }

private:
    void release(std::unique_ptr<PgConnection> connection);

    const std::string conninfo_;
    const std::size_t maxConnections_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    std::size_t open_ = 0;
};

} // namespace reelgate::server::db
