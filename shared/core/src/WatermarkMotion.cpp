#include <reelgate/core/WatermarkMotion.h>

#include <reelgate/core/InvalidInput.h>

#include <algorithm>
#include <string>

namespace reelgate::core {

namespace {

// Pixel offset along one axis: margin + floor(u * max(0, frame - box - 2 * margin) / 10000).
// 64-bit throughout: 2 * margin and u * free range both exceed 32 bits for extreme inputs.
int placeOnAxis(std::uint32_t u, int framePx, int boxPx, int marginPx) {
    const std::int64_t freePx =
        std::max<std::int64_t>(0, std::int64_t{framePx} - boxPx - 2 * std::int64_t{marginPx});
    const std::int64_t offsetPx = std::int64_t{u} * freePx / kMotionScale;
    // offset <= free range, so the sum is at most framePx - boxPx - marginPx, or marginPx.
    return static_cast<int>(marginPx + offsetPx);
}

void requireNonNegative(int value, const char* name) {
    if (value < 0) {
        throw InvalidInput(std::string("watermark placement: ") + name +
                           " must not be negative, got " + std::to_string(value));
    }
}

} // namespace

MotionPoint motionAt(std::uint32_t seed, std::int64_t tMs, std::int64_t intervalMs) {
    if (intervalMs < 1) {
        throw InvalidInput("watermark motion interval must be at least 1 ms, got " +
                           std::to_string(intervalMs));
    }
    if (tMs < 0) {
        throw InvalidInput("watermark motion time must not be negative, got " +
                           std::to_string(tMs) + " ms");
    }
    // Reduce modulo 2^32: the same slot sequence repeats only after 2^32 intervals.
    const auto slot = static_cast<std::uint32_t>(static_cast<std::uint64_t>(tMs / intervalMs));
    const std::uint32_t h1 = mix32(seed ^ mix32(slot));
    const std::uint32_t h2 = mix32(h1 ^ kMotionGoldenGamma);
    return MotionPoint{slot, h1 % (kMotionScale + 1), h2 % (kMotionScale + 1)};
}

PixelPoint placeMark(MotionPoint point, int frameW, int frameH, int boxW, int boxH, int marginPx) {
    requireNonNegative(frameW, "frame width");
    requireNonNegative(frameH, "frame height");
    requireNonNegative(boxW, "box width");
    requireNonNegative(boxH, "box height");
    requireNonNegative(marginPx, "margin");
    if (point.ux > kMotionScale || point.uy > kMotionScale) {
        throw InvalidInput("watermark placement: ux and uy must be within 0..10000");
    }
    return PixelPoint{placeOnAxis(point.ux, frameW, boxW, marginPx),
                      placeOnAxis(point.uy, frameH, boxH, marginPx)};
}

nlohmann::json defaultWatermarkSpec() {
    return {{"template", "{username} {time}"},
            {"font_size_pct", 3.5},
            {"opacity", 0.35},
            {"color", "#ffffff"},
            {"box", true},
            {"box_color", "#000000"},
            {"box_opacity", 0.35},
            {"interval_ms", 5000},
            {"margin_pct", 3.0},
            {"motion", "hash-v1"}};
}

} // namespace reelgate::core
