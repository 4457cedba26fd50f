#pragma once
// FrameGrabber: still pictures of a source for thumbnails and previews. Opens (and probes) the
// file once; grab() seeks to a time, decodes the first frame at or after it and returns it
// upright (rotation applied, square pixels) as packed RGB24, scaled to fit a bounding size.
// Thread: one owner thread at a time; blocking (seek + decode of up to one GOP).
// Errors: the constructor throws MediaError for an unreadable file or one without video (the
// same messages as probeMedia); grab() throws MediaError when no frame can be decoded.

#include "reelgate/media/MediaInfo.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace reelgate::media {

struct RgbFrame {
    int widthPx = 0;
    int heightPx = 0;
    std::int64_t ptsMs = 0;        // where the frame shows in the source
    std::vector<std::uint8_t> rgb; // widthPx * heightPx * 3 bytes, rows top to bottom
};

class FrameGrabber {
public:
    explicit FrameGrabber(const std::filesystem::path& path);
    ~FrameGrabber();
    FrameGrabber(const FrameGrabber&) = delete;
    FrameGrabber& operator=(const FrameGrabber&) = delete;

    const MediaInfo& info() const;
    // The frame at atMs (clamped into the source), scaled to fit maxWidthPx x maxHeightPx
    // (never upscaled; 0 = no limit on that side).
    RgbFrame grab(std::int64_t atMs, int maxWidthPx, int maxHeightPx);
    // The usual thumbnail time: 10% into the source.
    std::int64_t thumbnailTimeMs() const { return info().durationMs / 10; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace reelgate::media
