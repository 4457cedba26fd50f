#pragma once
// A background chore: runs `task` once at start (when asked) and then every `interval` on one
// thread of its own, logging (never propagating) what it throws under `name`. The destructor
// stops and joins the thread; a run in progress finishes first.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace reelgate::server {

class PeriodicTask {
public:
    PeriodicTask(std::string name, std::chrono::seconds interval, bool runAtStart,
                 std::function<void()> task);
    ~PeriodicTask();
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

private:
    void run();
    void runOnce();

    std::string name_;
    std::chrono::seconds interval_;
    bool runAtStart_;
    std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace reelgate::server
