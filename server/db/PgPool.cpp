#include "db/PgPool.h"

#include "common/Log.h"
#include "db/DbError.h"

namespace reelgate::server::db {
namespace {

// Leases the current thread holds (of any pool): more than one means a nested acquire.
thread_local int leasesHeld = 0;

} // namespace

PgPool::PgPool(std::string conninfo, std::size_t maxConnections)
    : conninfo_(std::move(conninfo))
    , maxConnections_(maxConnections) {}

PgPool::Lease PgPool::acquire(std::chrono::milliseconds wait) {
    if (leasesHeld > 0)
        Log::error("nested database connection: this thread already holds one (a bug: pass the "
                   "connection down instead)");
    std::unique_lock lock(mutex_);
    for (;;) {
        const bool ready = available_.wait_for(
            lock, wait, [&] { return !idle_.empty() || open_ < maxConnections_; });
        if (!ready)
            throw DbUnavailable("all " + std::to_string(maxConnections_) +
                                " database connections are busy");
        if (idle_.empty())
            break;
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        if (connection->isAlive())
            return Lease(*this, std::move(connection));
        --open_; // its server went away (restart, crash): open a fresh one instead
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, connect());
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
}

std::unique_ptr<PgConnection> PgPool::connect() {
    try {
        return std::make_unique<PgConnection>(conninfo_);
    } catch (const DbUnavailable&) {
        std::function<void()> recover;
        {
            std::lock_guard lock(mutex_);
            recover = recover_;
        }
        if (!recover)
            throw;
        {
            std::lock_guard serial(recoveryMutex_);
            recover();
        }
        closeIdle(); // they were opened to the server that failed
        return std::make_unique<PgConnection>(conninfo_);
    }
}

void PgPool::setRecovery(std::function<void()> recover) {
    std::lock_guard lock(mutex_);
    recover_ = std::move(recover);
}

void PgPool::release(std::unique_ptr<PgConnection> connection) {
    std::lock_guard lock(mutex_);
    if (connection && connection->isHealthy()) {
        idle_.push_back(std::move(connection));
    } else {
        --open_;
        connection.reset();
    }
    available_.notify_one();
}

void PgPool::closeIdle() {
    std::lock_guard lock(mutex_);
    open_ -= idle_.size();
    idle_.clear();
    available_.notify_all();
}

PgPool::Lease::Lease(PgPool& pool, std::unique_ptr<PgConnection> connection)
    : pool_(&pool)
    , connection_(std::move(connection)) {
    ++leasesHeld;
}

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_)
    , connection_(std::move(other.connection_)) {
    other.pool_ = nullptr;
}

PgPool::Lease::~Lease() {
    if (pool_ && connection_) {
        --leasesHeld;
        pool_->release(std::move(connection_));
    }
}

} // namespace reelgate::server::db
