#include "store/WatchHistory.h"

#include "common/ServiceError.h"
#include "db/SqlText.h"

#include <algorithm>
#include <map>

namespace reelgate::server::store {

WatchPosition WatchHistory::record(accounts::UserId viewer, const catalog::Video& video,
                                   std::int64_t positionMs) {
    if (positionMs < 0 || positionMs > video.durationMs + kEndToleranceMs)
        throw ServiceError(ServiceError::Kind::Invalid, "invalid_position",
                           "The position must be between 0 and the video's length (" +
                               std::to_string(video.durationMs) + " ms).");
    const std::int64_t kept = std::min(positionMs, video.durationMs);
    auto conn = pool_.acquire();
    auto rows = conn->exec(
        "INSERT INTO watch_history (user_id, video_id, position_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, video_id) DO UPDATE SET position_ms = EXCLUDED.position_ms, "
        "updated_at = now() RETURNING " +
            db::isoUtc("updated_at"),
        {std::to_string(viewer.value), std::to_string(video.id), std::to_string(kept)});
    return {kept, rows.text(0, 0)};
}

WatchPosition WatchHistory::position(accounts::UserId viewer, const catalog::Video& video) {
    auto conn = pool_.acquire();
    auto rows = conn->exec("SELECT position_ms, " + db::isoUtc("updated_at") +
                               " FROM watch_history WHERE user_id = $1 AND video_id = $2",
                           {std::to_string(viewer.value), std::to_string(video.id)});
    if (rows.rows() == 0)
        return {};
    return {rows.int64(0, 0), rows.text(0, 1)};
}

std::vector<LibraryEntry> WatchHistory::library(accounts::UserId viewer) {
    std::vector<LibraryEntry> entries;
    {
        auto conn = pool_.acquire();
        // Bought: as long as playback lets buyers watch it (published, or unpublished/deleted
        // with its package). Allowlisted: while the creator keeps it published.
        auto rows = conn->exec(
            "SELECT v.id, p.id IS NOT NULL, a.user_id IS NOT NULL, coalesce(" +
                db::isoUtc("p.created_at") + ", ''), coalesce(h.position_ms, 0), coalesce(" +
                db::isoUtc("h.updated_at") +
                ", '') FROM videos v "
                "LEFT JOIN purchases p ON p.video_id = v.id AND p.buyer_id = $1 "
                "LEFT JOIN video_allowlist a ON a.video_id = v.id AND a.user_id = $1 "
                "LEFT JOIN watch_history h ON h.video_id = v.id AND h.user_id = $1 "
                "WHERE (p.id IS NOT NULL AND (v.state = 'published' OR (v.state = 'unpublished' "
                "AND coalesce(v.package_dir, '') <> ''))) OR (a.user_id IS NOT NULL AND "
                "v.state = 'published' AND v.deleted_at IS NULL) "
                "ORDER BY h.updated_at DESC NULLS LAST, coalesce(p.created_at, v.published_at) "
                "DESC, v.id DESC LIMIT " +
                std::to_string(kMaxLibraryEntries),
            {std::to_string(viewer.value)});
        for (int r = 0; r < rows.rows(); ++r) {
            LibraryEntry entry;
            entry.video.id = rows.int64(r, 0);
            entry.purchased = rows.boolean(r, 1);
            entry.allowlisted = rows.boolean(r, 2);
            entry.purchasedAt = rows.text(r, 3);
            entry.watched = {rows.int64(r, 4), rows.text(r, 5)};
            entries.push_back(std::move(entry));
        }
    }
    std::vector<std::int64_t> ids;
    for (const auto& entry : entries)
        ids.push_back(entry.video.id);
    std::map<std::int64_t, catalog::Video> found;
    for (auto& video : videos_.withIds(ids))
        found.emplace(video.id, std::move(video));
    for (auto& entry : entries)
        entry.video = found.at(entry.video.id);
    return entries;
}

} // namespace reelgate::server::store
