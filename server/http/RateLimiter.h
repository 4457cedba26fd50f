#pragma once
// Fixed-window attempt counters per key (client address, account...). In memory: each server
// instance limits on its own, which is enough until several instances share the load.
// Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace reelgate::server::http {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(std::size_t maxAttempts, std::chrono::seconds window)
        : maxAttempts_(maxAttempts)
        , window_(window) {}

    // Seconds to wait when `key` has used up its attempts, else 0.
    int retryAfterSeconds(const std::string& key);
    // Counts one attempt for `key`.
    void record(const std::string& key);
    void reset(const std::string& key);

private:
    struct Window {
        Clock::time_point start;
        std::size_t count = 0;
    };
    void prune(Clock::time_point now);

    const std::size_t maxAttempts_;
    const std::chrono::seconds window_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    Clock::time_point lastPrune_{};
};

} // namespace reelgate::server::http
