#pragma once
// Replaces httplib's default task queue (8 threads, unbounded backlog): a fixed set of worker
// threads and a bounded backlog. When the backlog is full, enqueue() blocks the accept loop, so
// excess connections wait in the kernel's listen queue instead of piling up in memory.
// Thread-safe. shutdown() finishes queued work and joins the workers.

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reelgate::server::http {

class BoundedTaskQueue : public httplib::TaskQueue {
public:
    BoundedTaskQueue(std::size_t threads, std::size_t maxBacklog);
    ~BoundedTaskQueue() override;

    void enqueue(std::function<void()> task) override;
    void shutdown() override;

private:
    void work();

    const std::size_t maxBacklog_;
    std::mutex mutex_;
    std::condition_variable hasWork_;
    std::condition_variable hasRoom_;
    std::deque<std::function<void()>> backlog_;
    std::vector<std::thread> workers_;
    bool stopping_ = false;
};

} // namespace reelgate::server::http
