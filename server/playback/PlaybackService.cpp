#include "playback/PlaybackService.h"

#include "catalog/VideoMediaService.h"
#include "common/Log.h"
#include "common/ServiceError.h"
#include "db/DbError.h"
#include "db/SqlText.h"
#include "reelgate/core/Crypto.h"

#include <algorithm>
#include <cstring>

namespace reelgate::server::playback {
namespace {

using Kind = ServiceError::Kind;

ServiceError sessionEnded() {
    return ServiceError(Kind::Forbidden, "session_ended",
                        "This playback session has ended. Start playback again.");
}

std::uint32_t randomCode() {
    const std::string bytes = core::randomBytes(4);
    std::uint32_t code = 0;
    std::memcpy(&code, bytes.data(), sizeof code);
    return code;
}

} // namespace

VideoAccess PlaybackService::access(const accounts::User& user, const catalog::Video& video) {
    VideoAccess access;
    access.creator = user.id == video.creatorId;
    access.admin = user.isAdmin;
    auto conn = pool_.acquire();
    auto rows = conn->exec(
        "SELECT EXISTS (SELECT 1 FROM purchases WHERE buyer_id = $1 AND video_id = $2), "
        "       EXISTS (SELECT 1 FROM video_allowlist WHERE user_id = $1 AND video_id = $2)",
        {std::to_string(user.id.value), std::to_string(video.id)});
    access.purchased = rows.boolean(0, 0);
    access.allowlisted = rows.boolean(0, 1);
    return access;
}

void PlaybackService::revokeLostAccess(std::int64_t videoId,
                                       const std::vector<accounts::UserId>& users) {
    if (users.empty())
        return;
    std::string ids = "{";
    for (const auto& user : users)
        ids += (ids.size() > 1 ? "," : "") + std::to_string(user.value);
    ids += "}";
    if (const auto ended = revokeWithoutAccess(videoId, ids); ended > 0)
        Log::info("video " + std::to_string(videoId) + ": " + std::to_string(ended) +
                  " playback session(s) ended after an allowlist change");
}

void PlaybackService::endSessionsWithoutAccess(std::int64_t videoId) {
    if (const auto ended = revokeWithoutAccess(videoId, ""); ended > 0)
        Log::info("video " + std::to_string(videoId) + ": " + std::to_string(ended) +
                  " playback session(s) ended: the video left the catalog");
}

std::size_t PlaybackService::revokeWithoutAccess(std::int64_t videoId,
                                                 const std::string& usersArray) {
    auto conn = pool_.acquire();
    auto rows = conn->exec(
        "UPDATE playback_sessions s SET revoked_at = now() FROM users u, videos v "
        "WHERE s.video_id = $1 AND ($2::bigint[] IS NULL OR s.user_id = ANY($2::bigint[])) "
        "  AND s.revoked_at IS NULL "
        "  AND u.id = s.user_id AND v.id = s.video_id AND NOT u.is_admin "
        "  AND v.creator_id <> s.user_id "
        "  AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.buyer_id = s.user_id "
        "                  AND p.video_id = s.video_id) "
        "  AND NOT (v.state = 'published' AND v.deleted_at IS NULL AND "
        "           EXISTS (SELECT 1 FROM video_allowlist a WHERE a.user_id = s.user_id "
        "                   AND a.video_id = s.video_id)) "
        "RETURNING s.id",
        {std::to_string(videoId), usersArray.empty() ? db::SqlParam() : db::SqlParam(usersArray)});
    std::vector<std::int64_t> revoked;
    for (int r = 0; r < rows.rows(); ++r)
        revoked.push_back(rows.int64(r, 0));
    forget(revoked);
    return revoked.size();
}

StartedSession PlaybackService::start(const accounts::User& user, const std::string& publicId,
                                      const std::string& remoteAddr) {
    const auto video = videos_.find(publicId);
    if (!video)
        throw ServiceError(Kind::NotFound, "not_found", "There is no video here.");
    const VideoAccess rights = access(user, *video);
    // Buyers keep watching what they bought after the creator unpublishes it.
    const bool playable = video->state == "published" ||
                          (video->state == "unpublished" && !video->packageDir.empty() &&
                           (rights.purchased || rights.creator || rights.admin));
    if (!playable) {
        if (video->state != "published" && !rights.creator)
            throw ServiceError(Kind::NotFound, "not_found", "There is no video here.");
        throw ServiceError(Kind::Conflict, "not_published", "This video cannot be played yet.");
    }
    if (!rights.canWatch())
        throw ServiceError(Kind::PaymentRequired, "payment_required",
                           "Buy this video to watch it.");
    const auto package = packages_.get(video->packageDir);
    const int limit = settings_.snapshot()->maxStreamsPerUser;
    const std::string userId = std::to_string(user.id.value);

    auto conn = pool_.acquire();
    db::PgTransaction tx(*conn);
    conn->exec("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", {userId}); // one start at a time
    auto live = conn->exec("SELECT id FROM playback_sessions WHERE user_id = $1 AND "
                           "revoked_at IS NULL AND expires_at > now() ORDER BY created_at, id",
                           {userId});
    std::vector<std::int64_t> revoked;
    const int excess = live.rows() - limit + 1; // the new session needs one free place
    for (int r = 0; r < excess; ++r) {
        revoked.push_back(live.int64(r, 0));
        conn->exec("UPDATE playback_sessions SET revoked_at = now() WHERE id = $1",
                   {live.text(r, 0)});
    }
    const std::string token = core::randomToken(24);
    const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(kSessionLifetime);
    db::PgResult inserted;
    std::uint32_t code = 0;
    for (int attempt = 0;; ++attempt) {
        code = randomCode();
        conn->exec("SAVEPOINT code");
        try {
            inserted = conn->exec(
                std::string("INSERT INTO playback_sessions (token_hash, user_id, video_id, "
                            "forensic_code, remote_addr, expires_at) VALUES ($1, $2, $3, $4, $5, "
                            "now() + make_interval(secs => $6)) RETURNING ") +
                    db::isoUtc("expires_at"),
                {core::sha256Hex(token), userId, std::to_string(video->id), std::to_string(code),
                 remoteAddr, std::to_string(lifetime.count())});
            conn->exec("RELEASE SAVEPOINT code");
            break;
        } catch (const db::DbError& e) {
            // A code already given to another viewer of this video: draw again.
            if (e.sqlState() != "23505" || attempt >= 8)
                throw;
            conn->exec("ROLLBACK TO SAVEPOINT code");
        }
    }
    tx.commit();
    forget(revoked);
    if (!revoked.empty())
        Log::info("user " + userId + " reached the stream limit: " +
                  std::to_string(revoked.size()) + " older session(s) ended");

    // The design the creator saved on the server since publishing, else the package's.
    const auto saved = catalog::VideoMediaService::savedWatermarkOn(*conn, video->id);
    nlohmann::json overlay = saved ? *saved : package->watermark();
    overlay["username"] = user.username;
    if (!overlay.contains("seed") || !overlay["seed"].is_number_unsigned())
        overlay["seed"] = 0;
    return {token, inserted.text(0, 0), overlay};
}

namespace {
// The columns decisionFromRow() reads, given playback session `s`, its video `v` and the
// caller's sign-in `a`: how long the decision may be kept is until the session or the sign-in
// expires, whichever comes first (a revocation before that is notified, see the header).
constexpr const char* kDecisionColumns =
    "s.id, s.user_id, s.forensic_code, v.package_dir, s.video_id, "
    "floor(1000 * extract(epoch FROM least(s.expires_at, a.expires_at) - now()))::bigint, "
    "s.forensic_scheme, s.forensic_seed, v.forensic_seed";
} // namespace

PlaybackService::Decision PlaybackService::decisionFromRow(const db::PgResult& rows, int row,
                                                           int c) {
    Decision decision;
    decision.session.sessionId = rows.int64(row, c);
    decision.session.user = accounts::UserId{rows.int64(row, c + 1)};
    decision.session.forensicCode = static_cast<std::uint32_t>(rows.int64(row, c + 2));
    decision.session.packageDir = rows.text(row, c + 3);
    decision.session.package = packages_.get(decision.session.packageDir);
    decision.videoId = rows.int64(row, c + 4);
    decision.validFor =
        std::chrono::milliseconds(std::max<std::int64_t>(0, rows.int64(row, c + 5)));
    decision.session.forensicScheme = static_cast<int>(rows.int64(row, c + 6));
    decision.session.forensicSessionSeed = rows.text(row, c + 7);
    decision.session.forensicVideoSeed = rows.text(row, c + 8);
    return decision;
}

PlaybackService::Decision PlaybackService::authorizeUncached(const std::string& token,
                                                             accounts::UserId user,
                                                             std::int64_t signInId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec(std::string("SELECT s.revoked_at IS NULL AND s.expires_at > now() "
                                       "AND v.package_dir IS NOT NULL, ") +
                               kDecisionColumns +
                               " FROM playback_sessions s JOIN videos v ON v.id = s.video_id"
                               " LEFT JOIN auth_sessions a ON a.id = $2"
                               " WHERE s.token_hash = $1",
                           {core::sha256Hex(token), std::to_string(signInId)});
    if (rows.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no playback session here.");
    if (rows.int64(0, 2) != user.value)
        throw ServiceError(Kind::Forbidden, "forbidden",
                           "This playback session belongs to another account.");
    if (!rows.boolean(0, 0))
        throw sessionEnded();
    return decisionFromRow(rows, 0, 1);
}

std::string PlaybackService::cacheKey(const std::string& token, const std::string& credential) {
    // What authenticated (RequestAuth::credential): its kind, since a bearer secret must be an
    // API token and a cookie a browser sign-in, and the hash the database keeps of it.
    const auto space = credential.find(' ');
    const char kind = credential.rfind("bearer ", 0) == 0 ? 't' : 'b';
    return kind +
           core::sha256Hex(space == std::string::npos ? credential : credential.substr(space + 1)) +
           core::sha256Hex(token);
}

std::size_t PlaybackService::warm() noexcept {
    try {
        std::uint64_t epoch = 0;
        {
            std::lock_guard lock(cacheMutex_);
            if (!trusted_)
                return 0;
            epoch = epoch_;
        }
        auto conn = pool_.acquire();
        // Every live sign-in of a session's user would be admitted by authorize() (the same
        // checks as SessionStore::resolve: not revoked, not expired, not idle too long, user
        // not suspended), so each pair is one decision.
        auto rows = conn->exec(
            std::string("SELECT CASE a.kind WHEN 'token' THEN 't' ELSE 'b' END || a.token_hash "
                        "       || s.token_hash, ") +
                kDecisionColumns +
                " FROM playback_sessions s JOIN videos v ON v.id = s.video_id"
                " JOIN users u ON u.id = s.user_id"
                " JOIN auth_sessions a ON a.user_id = s.user_id"
                " WHERE s.revoked_at IS NULL AND s.expires_at > now()"
                " AND v.package_dir IS NOT NULL AND u.status <> 'suspended'"
                " AND a.revoked_at IS NULL AND a.expires_at > now()"
                " AND a.last_seen_at > now() - make_interval(secs => CASE a.kind"
                " WHEN 'browser' THEN $1::double precision ELSE $2::double precision END)"
                " LIMIT $3",
            {std::to_string(std::chrono::seconds(signIns_.browserIdle).count()),
             std::to_string(std::chrono::seconds(signIns_.tokenIdle).count()),
             std::to_string(kMaxCachedDecisions)});
        std::size_t read = 0;
        for (int row = 0; row < rows.rows(); ++row) {
            remember(rows.text(row, 0), decisionFromRow(rows, row, 1), epoch);
            ++read;
        }
        return read;
    } catch (const std::exception& e) {
        Log::warn(std::string("could not warm the playback cache: ") + e.what());
        return 0;
    }
}

std::optional<AuthorizedSession>
PlaybackService::authorizeIfCached(const std::string& token,
                                   const std::string& credential) noexcept {
    try {
        AuthorizedSession session;
        std::uint64_t epoch = 0;
        if (cached(cacheKey(token, credential), session, epoch))
            return session;
    } catch (const std::exception&) { // out of memory: the worker path decides
    }
    return std::nullopt;
}

bool PlaybackService::cached(const std::string& key, AuthorizedSession& session,
                             std::uint64_t& epoch) {
    std::lock_guard lock(cacheMutex_);
    epoch = epoch_;
    if (!trusted_)
        return false;
    const auto it = cache_.find(key);
    if (it == cache_.end())
        return false;
    if (it->second.validUntil <= std::chrono::steady_clock::now()) {
        cache_.erase(it);
        return false;
    }
    session = it->second.session;
    return true;
}

bool PlaybackService::Revocation::concerns(std::int64_t sessionId, accounts::UserId user,
                                           std::int64_t videoId) const {
    switch (kind) {
    case Kind::Session:
        return id == sessionId;
    case Kind::User:
        return id == user.value;
    case Kind::Video:
        return id == videoId;
    case Kind::All:
        break;
    }
    return true;
}

void PlaybackService::remember(const std::string& key, const Decision& decision,
                               std::uint64_t epoch) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(cacheMutex_);
    if (!trusted_ || decision.validFor.count() == 0)
        return;
    // A revocation seen since the query may have been committed after it read the session.
    if (epoch != epoch_) {
        if (recent_.empty() || recent_.front().epoch > epoch + 1)
            return; // some of them are forgotten already
        for (const Revocation& revocation : recent_)
            if (revocation.epoch > epoch &&
                revocation.concerns(decision.session.sessionId, decision.session.user,
                                    decision.videoId))
                return;
    }
    if (cache_.size() >= kMaxCachedDecisions) {
        std::erase_if(cache_, [&](const auto& item) { return item.second.validUntil <= now; });
        if (cache_.size() >= kMaxCachedDecisions)
            return; // full of live decisions: answer from the database until some end
    }
    cache_[key] = {decision.session, decision.videoId, now + decision.validFor};
}

void PlaybackService::revoke(Revocation::Kind kind, std::int64_t id) noexcept {
    const Revocation revocation{0, kind, id};
    std::lock_guard lock(cacheMutex_);
    recent_.push_back({++epoch_, kind, id});
    if (recent_.size() > kRecentRevocations)
        recent_.pop_front();
    std::erase_if(cache_, [&](const auto& item) {
        const CacheEntry& entry = item.second;
        return revocation.concerns(entry.session.sessionId, entry.session.user, entry.videoId);
    });
}

void PlaybackService::forgetSession(std::int64_t sessionId) noexcept {
    revoke(Revocation::Kind::Session, sessionId);
}

void PlaybackService::forgetUser(accounts::UserId user) noexcept {
    revoke(Revocation::Kind::User, user.value);
}

void PlaybackService::forgetVideo(std::int64_t videoId) noexcept {
    revoke(Revocation::Kind::Video, videoId);
}

void PlaybackService::trustCache(bool trusted) noexcept {
    revoke(Revocation::Kind::All, 0);
    std::lock_guard lock(cacheMutex_);
    trusted_ = trusted;
}

std::size_t PlaybackService::cachedDecisions() const {
    std::lock_guard lock(cacheMutex_);
    return cache_.size();
}

void PlaybackService::forget(const std::vector<std::int64_t>& sessionIds) {
    for (const std::int64_t id : sessionIds)
        forgetSession(id);
}

std::optional<PlaybackService::TracedSession> PlaybackService::findByCode(std::int64_t videoId,
                                                                          std::uint32_t code) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT s.id, u.username, u.email, " + db::isoUtc("s.created_at") +
                               ", s.remote_addr FROM playback_sessions s JOIN users u ON "
                               "u.id = s.user_id WHERE s.video_id = $1 AND s.forensic_code = $2",
                           {std::to_string(videoId), std::to_string(code)});
    if (rows.rows() == 0)
        return std::nullopt;
    return TracedSession{rows.int64(0, 0), rows.text(0, 1), rows.text(0, 2), rows.text(0, 3),
                         rows.text(0, 4)};
}

std::vector<std::pair<std::uint32_t, std::int64_t>> PlaybackService::codesOf(std::int64_t videoId) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT forensic_code, id FROM playback_sessions WHERE video_id = $1",
                           {std::to_string(videoId)});
    std::vector<std::pair<std::uint32_t, std::int64_t>> out;
    for (int r = 0; r < rows.rows(); ++r)
        out.emplace_back(static_cast<std::uint32_t>(rows.int64(r, 0)), rows.int64(r, 1));
    return out;
}

PlaybackService::ForensicSessions PlaybackService::forensicSessionsOf(std::int64_t videoId) {
    auto conn = pool_.acquire();
    ForensicSessions out;
    auto video =
        conn->exec("SELECT forensic_seed FROM videos WHERE id = $1", {std::to_string(videoId)});
    if (video.rows() == 0)
        return out;
    out.videoSeed = video.text(0, 0);
    auto rows = conn->exec("SELECT id, forensic_scheme, forensic_code, forensic_seed "
                           "FROM playback_sessions WHERE video_id = $1 ORDER BY id",
                           {std::to_string(videoId)});
    for (int r = 0; r < rows.rows(); ++r)
        out.sessions.push_back({rows.int64(r, 0), static_cast<int>(rows.int64(r, 1)),
                                static_cast<std::uint32_t>(rows.int64(r, 2)), rows.text(r, 3)});
    return out;
}

} // namespace reelgate::server::playback
