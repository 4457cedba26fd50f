#pragma once
// TraceLength: how long a leaked recording must be for a leak trace to name its viewer. The
// trace reads one A/B bit per forensic slot; ForensicCode needs one whole frame of
// kFrameBits slots (with up to ~10% unreadable) to decode a session code. A slot lasts one
// segment today (slotsPerSegment = 1); a layout with more slots per segment passes its count.
// Header only; pure functions; thread-safe.

#include "reelgate/core/ForensicCode.h"

#include <cstdint>

namespace reelgate::core {

// Minutes of continuous recording (from any point of the video) that hold `slotsNeeded` slots,
// for segments of segmentMs carrying slotsPerSegment slots each; 0 for a non-positive input.
inline double minutesOfRecordingNeeded(std::int64_t segmentMs, int slotsPerSegment = 1,
                                       int slotsNeeded = ForensicCode::kFrameBits) {
    if (segmentMs <= 0 || slotsPerSegment <= 0 || slotsNeeded <= 0)
        return 0;
    const std::int64_t segments = (slotsNeeded + slotsPerSegment - 1) / slotsPerSegment;
    return static_cast<double>(segments * segmentMs) / 60000.0;
}

} // namespace reelgate::core
