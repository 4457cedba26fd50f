#include "common/PeriodicTask.h"

#include "common/Log.h"

namespace reelgate::server {

PeriodicTask::PeriodicTask(std::string name, std::chrono::seconds interval, bool runAtStart,
                           std::function<void()> task)
    : name_(std::move(name))
    , interval_(interval)
    , runAtStart_(runAtStart)
    , task_(std::move(task))
    , thread_([this] { run(); }) {}

PeriodicTask::~PeriodicTask() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PeriodicTask::runOnce() {
    try {
        task_();
    } catch (const std::exception& e) {
        Log::warn(name_ + ": " + e.what());
    } catch (...) {
        Log::warn(name_ + ": unknown error");
    }
}

void PeriodicTask::run() {
    if (runAtStart_)
        runOnce();
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        runOnce();
        lock.lock();
    }
}

} // namespace reelgate::server
