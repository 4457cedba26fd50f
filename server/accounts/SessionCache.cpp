#include "accounts/SessionCache.h"

#include <charconv>

namespace reelgate::server::accounts {

std::optional<SessionCache::Entry> SessionCache::find(const std::string& tokenHash) const {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (!trusted_)
        return std::nullopt;
    const auto it = entries_.find(tokenHash);
    if (it == entries_.end() || it->second.validUntil <= now)
        return std::nullopt;
    return it->second.entry;
}

std::uint64_t SessionCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void SessionCache::remember(const std::string& tokenHash, const Entry& entry,
                            std::chrono::milliseconds validFor, std::uint64_t generation) {
    const auto now = std::chrono::steady_clock::now();
    const auto keepFor = std::min<std::chrono::milliseconds>(validFor, kTtl);
    std::lock_guard lock(mutex_);
    if (!trusted_ || keepFor.count() <= 0 || generation < complete_)
        return;
    if (const auto it = forgotten_.find(entry.user.id.value);
        it != forgotten_.end() && it->second > generation)
        return;
    if (entries_.size() >= kMaxEntries) {
        std::erase_if(entries_, [&](const auto& item) { return item.second.validUntil <= now; });
        if (entries_.size() >= kMaxEntries)
            return; // full of live sign-ins: the database answers until some expire
    }
    entries_[tokenHash] = {entry, now + keepFor};
}

void SessionCache::forgetUser(UserId user) noexcept {
    std::lock_guard lock(mutex_);
    ++generation_;
    if (forgotten_.size() >= kTrackedForgets) {
        clearLocked();
        return;
    }
    forgotten_[user.value] = generation_;
    std::erase_if(entries_, [&](const auto& item) { return item.second.entry.user.id == user; });
}

void SessionCache::clearLocked() noexcept {
    entries_.clear();
    forgotten_.clear();
    complete_ = ++generation_;
}

void SessionCache::trust(bool trusted) noexcept {
    std::lock_guard lock(mutex_);
    clearLocked();
    trusted_ = trusted;
}

void SessionCache::apply(std::string_view payload) noexcept {
    if (payload == "all") {
        std::lock_guard lock(mutex_);
        clearLocked();
        return;
    }
    constexpr std::string_view kUser = "user:";
    if (payload.substr(0, kUser.size()) != kUser)
        return;
    const std::string_view digits = payload.substr(kUser.size());
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (error == std::errc() && end == digits.data() + digits.size() && id > 0)
        forgetUser(UserId{id});
}

} // namespace reelgate::server::accounts
