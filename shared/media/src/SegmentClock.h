#pragma once
// Internal: where segments start on the constant-frame-rate timeline. Segment n starts at frame
// ceil(n * segmentMs * fps / 1000), so every segment lasts segmentMs to within one frame and
// the boundaries do not drift. Also the package's one timestamp mapping (90 kHz MPEG-TS clock,
// with the same fixed start offset in every rendition and variant). Plain value; thread: any.

#include "reelgate/media/MediaInfo.h"

#include <cstdint>

namespace reelgate::media {

class SegmentClock {
public:
    static constexpr std::int64_t kTsOffset90k = 126000; // 1.4 s, as FFmpeg's MPEG-TS output

    SegmentClock(Rational frameRate, int segmentMs);
    std::int64_t firstFrame(std::int64_t segment) const;
    std::int64_t segmentOf(std::int64_t frame) const;
    // Frame units -> 90 kHz including kTsOffset90k.
    std::int64_t frameTo90k(std::int64_t frameUnits) const;
    Rational frameRate() const { return frameRate_; }
    int segmentMs() const { return segmentMs_; }

private:
    Rational frameRate_;
    int segmentMs_;
};

} // namespace reelgate::media
