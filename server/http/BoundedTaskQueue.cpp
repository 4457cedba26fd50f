#include "http/BoundedTaskQueue.h"

namespace reelgate::server::http {

BoundedTaskQueue::BoundedTaskQueue(std::size_t threads, std::size_t maxBacklog)
    : maxBacklog_(maxBacklog) {
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
        workers_.emplace_back([this] { work(); });
}

BoundedTaskQueue::~BoundedTaskQueue() {
    shutdown();
}

void BoundedTaskQueue::enqueue(std::function<void()> task) {
    std::unique_lock lock(mutex_);
    hasRoom_.wait(lock, [&] { return backlog_.size() < maxBacklog_ || stopping_; });
    backlog_.push_back(std::move(task));
    hasWork_.notify_one();
}

void BoundedTaskQueue::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && workers_.empty())
            return;
        stopping_ = true;
    }
    hasWork_.notify_all();
    hasRoom_.notify_all();
    for (auto& worker : workers_)
        worker.join();
    workers_.clear();
}

void BoundedTaskQueue::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            hasWork_.wait(lock, [&] { return !backlog_.empty() || stopping_; });
            if (backlog_.empty())
                return;
            task = std::move(backlog_.front());
            backlog_.pop_front();
        }
        hasRoom_.notify_one();
        task();
    }
}

} // namespace reelgate::server::http
