#pragma once
// WatermarkMotion: where the visible viewer watermark sits at a given playback time.
// The position is an integer hash of (seed, time slot) -- no floating point -- so the studio
// preview, the server burn-in and the browser player (resources/web/js/watermarkMotion.js)
// place the mark on exactly the same pixel. Both implementations are checked against
// tests/data/watermark_vectors.json; change the algorithm only together with that file.
//
// Algorithm (uint32 arithmetic, wrapping):
//   slot = floor(tMs / intervalMs) mod 2^32
//   h1 = mix32(seed ^ mix32(slot)); h2 = mix32(h1 ^ 0x9e3779b9)
//   ux = h1 % 10001; uy = h2 % 10001          (position in 1/10000 of the free range)
//   x = m + floor(ux * max(0, W - w - 2m) / 10000), y likewise with H, h and uy
// Pure functions; thread-safe.

#include <cstdint>

#include <nlohmann/json.hpp>

namespace reelgate::core {

// Denominator of MotionPoint::ux / uy: 0 = left/top edge of the free range, 10000 = right/bottom.
inline constexpr std::uint32_t kMotionScale = 10000;
inline constexpr std::uint32_t kMotionGoldenGamma = 0x9e3779b9;

struct MotionPoint {
    std::uint32_t slot = 0; // floor(tMs / intervalMs) mod 2^32
    std::uint32_t ux = 0;   // 0..kMotionScale
    std::uint32_t uy = 0;   // 0..kMotionScale
    bool operator==(const MotionPoint&) const = default;
};

struct PixelPoint {
    int xPx = 0; // left edge of the mark box, pixels from the left of the frame
    int yPx = 0; // top edge of the mark box, pixels from the top of the frame
    bool operator==(const PixelPoint&) const = default;
};

// The 32-bit integer mixer the motion is built on (bijective, good avalanche).
constexpr std::uint32_t mix32(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

// Position in free-range units at playback time tMs. The position holds for a whole slot of
// intervalMs and jumps at every multiple of intervalMs.
// Throws InvalidInput for tMs < 0 or intervalMs < 1.
MotionPoint motionAt(std::uint32_t seed, std::int64_t tMs, std::int64_t intervalMs);

// Top-left pixel of a boxW x boxH mark in a frameW x frameH frame, kept marginPx away from every
// edge. When the box and margins do not fit, the free range is 0 and the mark sits at
// (marginPx, marginPx). Throws InvalidInput for a negative size or margin, or ux/uy > 10000.
PixelPoint placeMark(MotionPoint point, int frameW, int frameH, int boxW, int boxH, int marginPx);

// The visible-watermark spec a package carries (manifest.json "watermark") when the creator
// changed nothing: what the studio designer starts from and what the player falls back to for
// any missing field. Shape: template ({username} {time} {date}), font_size_pct and margin_pct
// (of the picture height), opacity, color, box, box_color, box_opacity, interval_ms,
// motion ("hash-v1"); "seed" (uint32) is added per video by the studio.
nlohmann::json defaultWatermarkSpec();

} // namespace reelgate::core
