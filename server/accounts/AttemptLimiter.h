#pragma once
// At most maxAttempts attempts per key (an account) in a fixed window, counted BEFORE the
// expensive or abusable work runs: reserve() checks and counts in one step, so concurrent
// attempts cannot all pass the check before any is counted. An attempt that turns out fine
// (a right password) is refunded. In memory, per server instance. Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace reelgate::server::accounts {

class AttemptLimiter {
public:
    using Clock = std::chrono::steady_clock;

    AttemptLimiter(std::size_t maxAttempts, std::chrono::seconds window)
        : maxAttempts_(maxAttempts)
        , window_(window) {}

    // 0 when an attempt was reserved for `key`, else the seconds to wait (nothing counted).
    int reserve(const std::string& key);
    // Gives back one reserved attempt (it succeeded and should not count against the key).
    void refund(const std::string& key);

private:
    struct Window {
        Clock::time_point start;
        std::size_t count = 0;
    };

    const std::size_t maxAttempts_;
    const std::chrono::seconds window_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
};

} // namespace reelgate::server::accounts
