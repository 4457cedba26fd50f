#pragma once
// Sign-ins resolved recently (SessionStore::resolve), so a busy client's requests cost no
// database lookup each: keyed by the SHA-256 of the secret (what auth_sessions stores, never
// the secret), bounded (kMaxEntries) and kept at most kTtl (and never past the session's own
// expiry). Every change that must take effect at once ends a sign-in's entries: the user's
// sessions revoked, the user suspended, a role changed, the user deleted (the database notifies
// 'user:<id>' on 'reelgate_revocations', sql/0012 and 0013; changes made through this process
// also call forgetUser() directly, after their commit).
// The cache is used only while trusted: trust(true) once those notifications are listened for
// (playback/RevocationListener), trust(false) the moment the listening connection is lost; both
// empty it, so a notification missed meanwhile never keeps a revoked sign-in alive. An entry
// read from the database while a change concerning its user was being forgotten is not kept
// (the read may predate the change): callers take generation() before reading and hand it to
// remember().
// Thread-safe; nothing here throws except std::bad_alloc.

#include "accounts/User.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace reelgate::server::accounts {

struct AuthContext;

class SessionCache {
public:
    static constexpr std::chrono::seconds kTtl{15};
    static constexpr std::size_t kMaxEntries = 100'000;

    struct Entry {
        std::int64_t sessionId = 0;
        bool browser = false;
        User user;
    };

    // The entry of `tokenHash` while trusted and fresh.
    std::optional<Entry> find(const std::string& tokenHash) const;
    // Counts forgets; take it before reading a session from the database.
    std::uint64_t generation() const;
    // Keeps `entry` for min(kTtl, validFor) unless untrusted, full, or its user was forgotten
    // since `generation`.
    void remember(const std::string& tokenHash, const Entry& entry,
                  std::chrono::milliseconds validFor, std::uint64_t generation);

    void forgetUser(UserId user) noexcept;
    // Empties the cache and says whether it may be used from now on.
    void trust(bool trusted) noexcept;
    // One 'reelgate_revocations' payload: "user:<id>" forgets the user, "all" everything;
    // anything else ("session:<playback session>", "video:<id>") concerns no sign-in.
    void apply(std::string_view payload) noexcept;

private:
    struct Cached {
        Entry entry;
        std::chrono::steady_clock::time_point validUntil;
    };
    static constexpr std::size_t kTrackedForgets = 4096;

    // Under mutex_: drops every entry and makes reads begun before now uncacheable.
    void clearLocked() noexcept;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, Cached> entries_;
    std::uint64_t generation_ = 0;
    // The generation of the latest forget of each user since `complete_` (reads begun before
    // `complete_` are not cached: the forgets before it are no longer tracked).
    std::unordered_map<std::int64_t, std::uint64_t> forgotten_;
    std::uint64_t complete_ = 0;
    bool trusted_ = false;
};

} // namespace reelgate::server::accounts
