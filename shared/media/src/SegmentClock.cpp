#include "SegmentClock.h"

extern "C" {
#include <libavutil/mathematics.h>
}

namespace reelgate::media {

SegmentClock::SegmentClock(Rational frameRate, int segmentMs)
    : frameRate_(frameRate)
    , segmentMs_(segmentMs) {}

std::int64_t SegmentClock::firstFrame(std::int64_t segment) const {
    const std::int64_t numerator = segment * segmentMs_ * frameRate_.num;
    const std::int64_t denominator = std::int64_t{1000} * frameRate_.den;
    return (numerator + denominator - 1) / denominator;
}

std::int64_t SegmentClock::segmentOf(std::int64_t frame) const {
    if (frame <= 0) {
        return 0;
    }
    std::int64_t n = frame * 1000 * frameRate_.den / (std::int64_t{segmentMs_} * frameRate_.num);
    while (n > 0 && firstFrame(n) > frame) {
        --n;
    }
    while (firstFrame(n + 1) <= frame) {
        ++n;
    }
    return n;
}

std::int64_t SegmentClock::frameTo90k(std::int64_t frameUnits) const {
    return av_rescale_q(frameUnits, AVRational{frameRate_.den, frameRate_.num},
                        AVRational{1, 90000}) +
           kTsOffset90k;
}

} // namespace reelgate::media
