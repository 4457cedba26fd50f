#pragma once
// Turns SIGINT/SIGTERM into a callback on a dedicated thread. Construct before any other
// thread so that every thread inherits the blocked mask (no handler runs on a random thread).
// The callback runs repeatedly, every 100 ms after the first signal, until the object is
// destroyed: a stop request that lands before the HTTP loop started is not lost.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace reelgate::server {

class ShutdownSignals {
public:
    ShutdownSignals();
    ~ShutdownSignals();
    // Replaces the callback; an empty one disables it. Clear it before what it refers to dies.
    void onSignal(std::function<void()> callback);
    bool requested() const { return requested_.load(); }

private:
    void watch();

    std::atomic<bool> requested_{false};
    std::atomic<bool> done_{false};
    std::mutex callbackMutex_;
    std::function<void()> callback_;
    std::thread thread_;
};

} // namespace reelgate::server
