#pragma once
// Where each viewer is in each video (one row per viewer and video, overwritten by every
// report), and the viewer's library: what they bought (still watchable) and what they are
// allowlisted for (while published), most recently watched first. Knows the database, not
// HTTP; refuses with ServiceError. Thread-safe.

#include "accounts/User.h"
#include "catalog/Video.h"
#include "catalog/VideoService.h"
#include "db/PgPool.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reelgate::server::store {

struct WatchPosition {
    std::int64_t positionMs = 0;
    std::string updatedAt; // ISO 8601 UTC; empty when never watched
};

struct LibraryEntry {
    catalog::Video video;
    bool purchased = false;
    bool allowlisted = false;
    std::string purchasedAt; // empty unless purchased
    WatchPosition watched;
};

class WatchHistory {
public:
    // A player reports a little past the end (rounding of the last frame); more is refused.
    static constexpr std::int64_t kEndToleranceMs = 2000;
    static constexpr int kMaxLibraryEntries = 500;

    WatchHistory(db::PgPool& pool, catalog::VideoService& videos)
        : pool_(pool)
        , videos_(videos) {}

    // positionMs must be within 0..video.durationMs (+ kEndToleranceMs, then clamped to the
    // end); Invalid otherwise. The caller checked that the viewer may watch the video.
    WatchPosition record(accounts::UserId viewer, const catalog::Video& video,
                         std::int64_t positionMs);
    WatchPosition position(accounts::UserId viewer, const catalog::Video& video);
    std::vector<LibraryEntry> library(accounts::UserId viewer);

private:
    db::PgPool& pool_;
    catalog::VideoService& videos_;
};

} // namespace reelgate::server::store
