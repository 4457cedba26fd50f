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

AuthorizedSession PlaybackService::authorizeUncached(const std::string& token,
                                                     accounts::UserId user) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT s.id, s.user_id, s.forensic_code, "
                           "       s.revoked_at IS NULL AND s.expires_at > now(), v.package_dir "
                           "FROM playback_sessions s JOIN videos v ON v.id = s.video_id "
                           "WHERE s.token_hash = $1",
                           {core::sha256Hex(token)});
    if (rows.rows() == 0)
        throw ServiceError(Kind::NotFound, "not_found", "There is no playback session here.");
    if (rows.int64(0, 1) != user.value)
        throw ServiceError(Kind::Forbidden, "forbidden",
                           "This playback session belongs to another account.");
    if (!rows.boolean(0, 3) || rows.isNull(0, 4))
        throw sessionEnded();
    AuthorizedSession session;
    session.sessionId = rows.int64(0, 0);
    session.user = user;
    session.forensicCode = static_cast<std::uint32_t>(rows.int64(0, 2));
    session.packageDir = rows.text(0, 4);
    session.package = packages_.get(session.packageDir);
    return session;
}

void PlaybackService::forgetUser(accounts::UserId user) noexcept {
    std::lock_guard lock(cacheMutex_);
    std::erase_if(cache_, [&](const auto& item) { return item.second.session.user == user; });
}

void PlaybackService::forget(const std::vector<std::int64_t>& sessionIds) {
    if (sessionIds.empty())
        return;
    std::lock_guard lock(cacheMutex_);
    std::erase_if(cache_, [&](const auto& item) {
        return std::find(sessionIds.begin(), sessionIds.end(), item.second.session.sessionId) !=
               sessionIds.end();
    });
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

} // namespace reelgate::server::playback
