#pragma once
// A bounded pool of PostgreSQL connections, opened lazily. Thread-safe.
// acquire() hands out a Lease that returns the connection when it goes out of scope; a
// connection left broken or inside a transaction is closed instead of reused, and an idle one
// whose server went away is noticed (and dropped) before it is handed out.
// A handler holds at most ONE lease at a time: asking for a second while holding one can
// deadlock the pool under load (every worker holds one and waits for another). Pass the
// connection down instead. A nested acquire is logged as an error ("nested database
// connection") so tests can catch it.
// When no connection can be opened, the recovery hook (if set) runs once per failed attempt,
// serialised, e.g. to restart an embedded PostgreSQL that died; then the connect is retried.

#include "db/PgConnection.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace reelgate::server::db {

class PgPool {
public:
    class Lease {
    public:
        Lease(PgPool& pool, std::unique_ptr<PgConnection> connection);
        Lease(Lease&& other) noexcept;
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

    // Runs (serialised, on the acquiring thread) when a new connection cannot be opened.
    // It may block while it brings the database back; it must not throw.
    void setRecovery(std::function<void()> recover);

    const std::string& conninfo() const { return conninfo_; }

private:
    void release(std::unique_ptr<PgConnection> connection);
    std::unique_ptr<PgConnection> connect();

    const std::string conninfo_;
    const std::size_t maxConnections_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    std::size_t open_ = 0;
    std::mutex recoveryMutex_;
    std::function<void()> recover_;
};

} // namespace reelgate::server::db
