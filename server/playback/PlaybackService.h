#pragma once
// Playback sessions: who may watch (a purchase, the allowlist, the creator, an admin), the
// concurrent-stream limit (the OLDEST live session of the user is revoked to make room, so a
// viewer who switches device or reloads is never locked out while a shared account keeps
// kicking itself off), and a unique 32-bit forensic code per session that picks variant A or B
// of every segment. The session id in /play/{id}/ URLs is random (192 bits) and stored hashed;
// it is bound to its user and expires.
// authorize() is on the hot path of every playlist, key and segment request: a decision is
// cached for kDecisionTtl per (session, credential), longer than a segment, so a steady viewer
// costs a database query about once per 30 s, not per segment. Revocations drop it at once:
// the ones made here, and revoked sign-ins (forgetUser(), wired to the SessionStore).
// Another server instance's revocation reaches this cache within kDecisionTtl.
// Thread-safe. Refusals: ServiceError.

#include "accounts/User.h"
#include "catalog/VideoService.h"
#include "catalog/ViewerAccess.h"
#include "db/PgPool.h"
#include "playback/PlaybackPackage.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace reelgate::server::playback {

using VideoAccess = catalog::VideoAccess;

struct StartedSession {
    std::string token; // goes into /play/{token}/
    std::string expiresAt;
    nlohmann::json overlay; // watermark spec + "username"
};

struct AuthorizedSession {
    std::int64_t sessionId = 0;
    accounts::UserId user;
    std::uint32_t forensicCode = 0;
    std::string packageDir; // relative to the videos dir
    std::shared_ptr<const PlaybackPackage> package;
};

class PlaybackService : public catalog::ViewerAccess {
public:
    static constexpr auto kSessionLifetime = std::chrono::hours(6);

    PlaybackService(db::PgPool& pool, catalog::VideoService& videos,
                    settings::PlatformSettings& settings, PlaybackPackages& packages)
        : pool_(pool)
        , videos_(videos)
        , settings_(settings)
        , packages_(packages) {}

    VideoAccess access(const accounts::User& user, const catalog::Video& video) override;
    void revokeLostAccess(std::int64_t videoId,
                          const std::vector<accounts::UserId>& users) override;
    void endSessionsWithoutAccess(std::int64_t videoId) override;
    StartedSession start(const accounts::User& user, const std::string& videoPublicId,
                         const std::string& remoteAddr);
    // The session `token` if it belongs to `user` and is live. `credential` identifies the
    // caller's sign-in (cookie or bearer secret) for the cache; `user` is resolved by the caller
    // only on a cache miss (resolveUser), so a hit costs no database query.
    template <class ResolveUser>
    AuthorizedSession authorize(const std::string& token, const std::string& credential,
                                ResolveUser resolveUser);
    // Drops every cached decision of `user` (a sign-in of theirs was revoked or they were
    // suspended). Never throws.
    void forgetUser(accounts::UserId user) noexcept;
    static constexpr std::chrono::seconds kDecisionTtl{30};

    // Leak trace: the session that carried `code` for the video (any state).
    struct TracedSession {
        std::int64_t sessionId = 0;
        std::string username;
        std::string email;
        std::string startedAt;
        std::string remoteAddr;
    };
    std::optional<TracedSession> findByCode(std::int64_t videoId, std::uint32_t code);
    // Codes of every session of a video (for matching a partial read against candidates).
    std::vector<std::pair<std::uint32_t, std::int64_t>> codesOf(std::int64_t videoId);

private:
    struct CacheEntry {
        AuthorizedSession session;
        std::chrono::steady_clock::time_point validUntil;
    };
    AuthorizedSession authorizeUncached(const std::string& token, accounts::UserId user);
    void forget(const std::vector<std::int64_t>& sessionIds);
    // Revokes the live sessions of `videoId` (of usersArray only, e.g. "{1,2}", unless empty) whose
    // user has no access left; returns how many.
    std::size_t revokeWithoutAccess(std::int64_t videoId, const std::string& usersArray);

    db::PgPool& pool_;
    catalog::VideoService& videos_;
    settings::PlatformSettings& settings_;
    PlaybackPackages& packages_;
    std::mutex cacheMutex_;
    std::unordered_map<std::string, CacheEntry> cache_;
};

template <class ResolveUser>
AuthorizedSession PlaybackService::authorize(const std::string& token,
                                             const std::string& credential,
                                             ResolveUser resolveUser) {
    const std::string key = token + '\n' + credential;
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(cacheMutex_);
        if (const auto it = cache_.find(key); it != cache_.end() && it->second.validUntil > now)
            return it->second.session;
    }
    AuthorizedSession session = authorizeUncached(token, resolveUser());
    std::lock_guard lock(cacheMutex_);
    if (cache_.size() > 20000)
        std::erase_if(cache_, [&](const auto& item) { return item.second.validUntil <= now; });
    cache_[key] = {session, now + kDecisionTtl};
    return session;
}

} // namespace reelgate::server::playback
