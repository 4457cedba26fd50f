#include "accounts/AttemptLimiter.h"

#include <algorithm>

namespace reelgate::server::accounts {

int AttemptLimiter::reserve(const std::string& key) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (windows_.size() > 100000)
        std::erase_if(windows_,
                      [&](const auto& item) { return now - item.second.start >= window_; });
    Window& w = windows_[key];
    if (w.count == 0 || now - w.start >= window_)
        w = {now, 0};
    if (w.count >= maxAttempts_) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(w.start + window_ - now);
        return static_cast<int>(std::max<std::int64_t>(1, left.count() + 1));
    }
    ++w.count;
    return 0;
}

void AttemptLimiter::refund(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (const auto it = windows_.find(key); it != windows_.end() && it->second.count > 0)
        --it->second.count;
}

} // namespace reelgate::server::accounts
