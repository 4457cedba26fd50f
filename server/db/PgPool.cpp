#include "db/PgPool.h"

#include "db/DbError.h"

namespace reelgate::server::db {

PgPool::PgPool(std::string conninfo, std::size_t maxConnections)
    : conninfo_(std::move(conninfo))
    , maxConnections_(maxConnections) {}

PgPool::Lease PgPool::acquire(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    const bool ready =
        available_.wait_for(lock, wait, [&] { return !idle_.empty() || open_ < maxConnections_; });
    if (!ready)
        throw DbUnavailable("all " + std::to_string(maxConnections_) +
                            " database connections are busy");
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(connection));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<PgConnection>(conninfo_));
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
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
}

PgPool::Lease::~Lease() {
    if (pool_ && connection_)
        pool_->release(std::move(connection_));
}

} // namespace reelgate::server::db
