#include "http/RateLimiter.h"

namespace reelgate::server::http {

int RateLimiter::retryAfterSeconds(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    auto it = windows_.find(key);
    if (it == windows_.end() || now - it->second.start >= window_ ||
        it->second.count < maxAttempts_)
        return 0;
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(it->second.start + window_ - now);
    return static_cast<int>(left.count()) + 1;
}

void RateLimiter::record(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    prune(now);
    auto& w = windows_[key];
    if (w.count == 0 || now - w.start >= window_) {
        w.start = now;
        w.count = 0;
    }
    ++w.count;
}

void RateLimiter::reset(const std::string& key) {
    std::lock_guard lock(mutex_);
    windows_.erase(key);
}

void RateLimiter::prune(Clock::time_point now) {
    if (now - lastPrune_ < window_)
        return;
    lastPrune_ = now;
    for (auto it = windows_.begin(); it != windows_.end();) {
        if (now - it->second.start >= window_)
            it = windows_.erase(it);
        else
            ++it;
    }
}

} // namespace reelgate::server::http
