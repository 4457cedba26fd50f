#pragma once
// Playback sessions: who may watch (a purchase, the allowlist, the creator, an admin), the
// concurrent-stream limit (the OLDEST live session of the user is revoked to make room, so a
// viewer who switches device or reloads is never locked out while a shared account keeps
// kicking itself off), and a unique 32-bit forensic code per session that picks variant A or B
// of every segment. The session id in /play/{id}/ URLs is random (192 bits) and stored hashed;
// it is bound to its user and expires.
// authorize() is on the hot path of every playlist, key and segment request. Its decision is
// kept in memory for the session's whole life (until the earlier of the playback session's and
// the sign-in's expiry), per (session, credential): a steady viewer's segments cost no
// database work at all, however long they watch. Only revocations drop a decision, and every
// one of them is a database change that triggers a notification (sql/0012): a revoked
// playback session (stream limit, allowlist removal), an ended sign-in (sign-out, revoked
// token, password change), a suspension, a replaced package. RevocationListener brings those
// to every server instance on the same PostgreSQL (LISTEN/NOTIFY); the changes made here are
// also dropped locally at once. The cache is only trusted while that listener is connected:
// after a (re)connect it is refilled by warm(), in one query, with the decision of every live
// (playback session, sign-in) pair: viewers coming back together after a restart then cost
// no database work each. Cache keys are hashes of the session token and of the credential
// (what the database stores), so a decision can be made without the secrets.
// Chosen over a signed segment credential (HMAC URL): that one cannot be taken back before it
// expires, so a revocation would wait for its lifetime; here it takes effect at the next request.
// Thread-safe. Refusals: ServiceError.

#include "accounts/SessionStore.h"
#include "accounts/User.h"
#include "catalog/VideoService.h"
#include "catalog/ViewerAccess.h"
#include "db/PgPool.h"
#include "playback/PlaybackPackage.h"
#include "reelgate/core/ForensicCode.h"
#include "reelgate/core/TardosCode.h"
#include "settings/PlatformSettings.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
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
    // Forensic code (sql/0014): scheme 2 plays the video's Tardos code with the session's seed,
    // scheme 1 (sessions from before) the self-decodable frame of forensicCode.
    int forensicScheme = 1;
    std::string forensicVideoSeed;
    std::string forensicSessionSeed;
    // The variant of segment slot n for this session: true = B.
    bool variantB(std::int64_t slot) const {
        return forensicScheme == 2
                   ? core::TardosCode(forensicVideoSeed).bitB(forensicSessionSeed, slot)
                   : core::ForensicCode::bitForSlot(forensicCode, slot) != 0;
    }
};

class PlaybackService : public catalog::ViewerAccess {
public:
    static constexpr auto kSessionLifetime = std::chrono::hours(6);

    PlaybackService(db::PgPool& pool, catalog::VideoService& videos,
                    settings::PlatformSettings& settings, PlaybackPackages& packages,
                    accounts::SessionPolicy signIns = {})
        : pool_(pool)
        , videos_(videos)
        , settings_(settings)
        , packages_(packages)
        , signIns_(signIns) {}

    VideoAccess access(const accounts::User& user, const catalog::Video& video) override;
    void revokeLostAccess(std::int64_t videoId,
                          const std::vector<accounts::UserId>& users) override;
    void endSessionsWithoutAccess(std::int64_t videoId) override;
    StartedSession start(const accounts::User& user, const std::string& videoPublicId,
                         const std::string& remoteAddr);
    // The session `token` if it belongs to the caller and is live. `credential` identifies the
    // caller's sign-in (cookie or bearer secret) for the cache; resolveUser() (returning the
    // caller's accounts::AuthContext, or throwing) runs only on a cache miss, so a hit costs no
    // database query.
    template <class ResolveUser>
    AuthorizedSession authorize(const std::string& token, const std::string& credential,
                                ResolveUser resolveUser);
    // The decision authorize() would return when it is in memory; nullopt otherwise. Never
    // asks the database, never throws (the event loop answers cached segments with it).
    std::optional<AuthorizedSession> authorizeIfCached(const std::string& token,
                                                       const std::string& credential) noexcept;

    // Revocations, from this instance or (through RevocationListener) another one: drop the
    // cached decisions of a playback session, a user (sign-in ended, suspended) or a video
    // (package replaced). Never throw.
    void forgetSession(std::int64_t sessionId) noexcept;
    void forgetUser(accounts::UserId user) noexcept;
    void forgetVideo(std::int64_t videoId) noexcept;
    // Empties the cache and says whether it may be used from now on (true only while
    // revocations are being listened for).
    void trustCache(bool trusted) noexcept;
    // Caches the decision of every live (playback session, sign-in of its user) pair at once,
    // as authorize() would make it; called once revocations are heard (RevocationListener).
    // Returns how many it read. Never throws (a failure leaves the cache as it was).
    std::size_t warm() noexcept;
    std::size_t cachedDecisions() const;

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
    // Every session of a video with what its forensic bits derive from (sql/0014).
    struct ForensicSession {
        std::int64_t sessionId = 0;
        int scheme = 1;
        std::uint32_t code = 0;
        std::string seed;
    };
    struct ForensicSessions {
        std::string videoSeed;
        std::vector<ForensicSession> sessions;
    };
    ForensicSessions forensicSessionsOf(std::int64_t videoId);

private:
    struct Decision {
        AuthorizedSession session;
        std::int64_t videoId = 0;
        std::chrono::milliseconds validFor{0}; // until the session or the sign-in expires
    };
    struct CacheEntry {
        AuthorizedSession session;
        std::int64_t videoId = 0;
        std::chrono::steady_clock::time_point validUntil;
    };
    // What a revocation dropped (All: trustCache()); the recent ones are kept so that a
    // decision read while one happened is cached only if that one does not concern it.
    struct Revocation {
        enum class Kind { All = 1, Session, User, Video };
        std::uint64_t epoch = 0;
        Kind kind = Kind::All;
        std::int64_t id = 0;
        bool concerns(std::int64_t sessionId, accounts::UserId user, std::int64_t videoId) const;
    };
    static constexpr std::size_t kMaxCachedDecisions = 200'000;
    static constexpr std::size_t kRecentRevocations = 1024;

    // A cached decision for `key` (true), else the revocation epoch to hand to remember().
    bool cached(const std::string& key, AuthorizedSession& session, std::uint64_t& epoch);
    // Caches `decision` unless a revocation since `epoch` concerns it (the answer may predate it).
    void remember(const std::string& key, const Decision& decision, std::uint64_t epoch);
    Decision authorizeUncached(const std::string& token, accounts::UserId user,
                               std::int64_t signInId);
    // The decision in `row` of a query whose columns from `c` on are kDecisionColumns.
    Decision decisionFromRow(const db::PgResult& rows, int row, int c);
    // The cache key of a session token and a RequestAuth credential ("bearer X", "cookie X").
    static std::string cacheKey(const std::string& token, const std::string& credential);
    void forget(const std::vector<std::int64_t>& sessionIds);
    // Records the revocation and drops the cached decisions it concerns.
    void revoke(Revocation::Kind kind, std::int64_t id) noexcept;
    // Revokes the live sessions of `videoId` (of usersArray only, e.g. "{1,2}", unless empty) whose
    // user has no access left; returns how many.
    std::size_t revokeWithoutAccess(std::int64_t videoId, const std::string& usersArray);

    db::PgPool& pool_;
    catalog::VideoService& videos_;
    settings::PlatformSettings& settings_;
    PlaybackPackages& packages_;
    accounts::SessionPolicy signIns_;
    mutable std::mutex cacheMutex_;
    std::unordered_map<std::string, CacheEntry> cache_;
    std::uint64_t epoch_ = 0; // counts revocations (under cacheMutex_)
    std::deque<Revocation> recent_;
    bool trusted_ = false;
};

template <class ResolveUser>
AuthorizedSession PlaybackService::authorize(const std::string& token,
                                             const std::string& credential,
                                             ResolveUser resolveUser) {
    const std::string key = cacheKey(token, credential);
    AuthorizedSession session;
    std::uint64_t epoch = 0;
    if (cached(key, session, epoch))
        return session;
    const accounts::AuthContext caller = resolveUser();
    Decision decision = authorizeUncached(token, caller.user.id, caller.sessionId);
    remember(key, decision, epoch);
    return std::move(decision.session);
}

} // namespace reelgate::server::playback
