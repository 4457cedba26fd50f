#pragma once
// What a creator keeps editing on a published video besides its fields: the poster (the
// package's, or one the creator uploaded: a new immutable file <package>/posters/<hash>.jpg,
// written to a temporary name, synced and renamed, then named by videos.poster_file), the free
// preview (its first N seconds for anyone, 0 = off) and the visible-watermark design the player
// draws (kept in video_media; the package's own design until the creator saves one).
// Knows the database and the videos folder, not HTTP; refuses with ServiceError, or
// PosterRefused for an image that is not one. Thread-safe; one pooled connection at a time.

#include "catalog/VideoService.h"
#include "db/PgPool.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace reelgate::server::catalog {

struct PosterFile {
    std::filesystem::path file; // absolute, inside the videos folder, immutable
    std::string contentType;
    std::string etag; // quoted, changes with the file
};

struct PreviewSource {
    std::string packageDir; // relative to the videos folder
    int seconds = 0;        // > 0
};

class VideoMediaService {
public:
    static constexpr int kMaxPreviewSeconds = 120;

    VideoMediaService(db::PgPool& pool, VideoService& videos, std::filesystem::path videosDir)
        : pool_(pool)
        , videos_(videos)
        , videosDir_(std::move(videosDir)) {}

    // The poster of a video with a package (published, or unpublished for its buyers).
    std::optional<PosterFile> poster(const std::string& publicId);
    // Replaces the poster of the creator's own video that has a package; the old uploaded file
    // is removed once the new one is in place. Throws PosterRefused, ServiceError.
    Video setPoster(accounts::UserId creator, const std::string& publicId, std::string_view bytes);

    // {"watermark": spec, "edited": bool}: the saved design, else the package's.
    nlohmann::json watermark(accounts::UserId creator, const std::string& publicId);
    // Missing fields keep the current design's values; unknown fields and bad values are
    // refused naming the field. Returns what watermark() now answers.
    nlohmann::json setWatermark(accounts::UserId creator, const std::string& publicId,
                                const nlohmann::json& spec);
    // The saved design of video `videoId`, if any (for playback, on its own connection).
    static std::optional<nlohmann::json> savedWatermarkOn(db::PgConnection& conn,
                                                          std::int64_t videoId);
    // `spec` checked field by field over `base` (a complete design). Throws ServiceError.
    static nlohmann::json validWatermark(const nlohmann::json& spec, const nlohmann::json& base);

    // {"seconds": the preview, "segment_ms", "forensic_ab": what the package says (for the
    // studio's trace length)}.
    nlohmann::json preview(accounts::UserId creator, const std::string& publicId);
    int setPreviewSeconds(accounts::UserId creator, const std::string& publicId, int seconds);
    // What the video page shows anyone about a published video: {"poster_url" (or null),
    // "preview_url" and "preview_seconds" (null and 0 without a preview)}; nullopt for a video
    // that is not published.
    std::optional<nlohmann::json> publicMedia(const std::string& publicId);
    // The preview of a published, undeleted video that has one.
    std::optional<PreviewSource> preview(const std::string& publicId);

private:
    nlohmann::json manifestOf(const Video& video) const; // {} when unreadable
    nlohmann::json packageWatermark(const Video& video) const;

    db::PgPool& pool_;
    VideoService& videos_;
    std::filesystem::path videosDir_;
};

} // namespace reelgate::server::catalog
