#pragma once
// Internal: the package's poster. A chosen time, or one picked automatically: among kCandidates
// frames spread over the first third of the source, the one whose luma varies most (a black,
// faded or flat frame varies least), the earliest on a tie. The frame is encoded as a baseline
// JPEG (libavcodec's MJPEG encoder, full-range YUV 4:2:0) fitting maxWidthPx x maxHeightPx.
// Thread: the caller's; blocking (a few seeks and decodes). Throws MediaError.

#include "reelgate/media/FrameGrabber.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace reelgate::media {

struct Poster {
    std::int64_t atMs = 0;
    int widthPx = 0;
    int heightPx = 0;
    std::string jpeg; // the file's bytes
};

class PosterPicker {
public:
    static constexpr int kCandidates = 6;

    // The mean-squared deviation of the frame's luma (BT.601 weights), 0..65025.
    static double lumaVariance(const RgbFrame& frame);
    // atMs: the creator's choice; nullopt = pick automatically.
    static Poster make(const std::filesystem::path& source, std::optional<std::int64_t> atMs,
                       int maxWidthPx, int maxHeightPx);
    static std::string encodeJpeg(const RgbFrame& frame);
};

} // namespace reelgate::media
