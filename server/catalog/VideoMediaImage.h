#pragma once
// VideoMediaImage: what a poster image really is, read from its bytes rather than its name. A
// JPEG (baseline or progressive, 1, 3 or 4 components, ending in EOI) or a PNG (IHDR first,
// IEND last) is accepted when it is at most kMaxBytes long and its frame header gives both sides
// between kMinSidePx and kMaxSidePx; anything else is refused with a reason a creator can act on
// (never echoing the bytes). Used by ingest (the package's poster) and by the poster upload.
// Pure functions; thread-safe.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reelgate::server::catalog {

class PosterRefused : public std::runtime_error {
public:
    enum class Reason { TooLarge = 1, NotAnImage, Unfit }; // 413, 415, 422 at the edge
    PosterRefused(Reason reason, const std::string& message)
        : std::runtime_error(message)
        , reason_(reason) {}
    Reason reason() const { return reason_; }

private:
    Reason reason_;
};

struct VideoMediaImage {
    static constexpr std::size_t kMaxBytes = 1000 * 1000; // fits the server's small body limit
    static constexpr int kMinSidePx = 16;
    static constexpr int kMaxSidePx = 4096;

    std::string contentType; // "image/jpeg" or "image/png"
    int widthPx = 0;
    int heightPx = 0;

    // Throws PosterRefused.
    static VideoMediaImage inspect(std::string_view bytes);
};

} // namespace reelgate::server::catalog
