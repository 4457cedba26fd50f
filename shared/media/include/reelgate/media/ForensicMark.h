#pragma once
// ForensicMark: the imperceptible luma pattern that tells variant A from variant B.
// Shape: P(u, v) = sum of kComponents cosines of 1..3 cycles across the picture with seeded
// frequencies, phases and weights, normalised so max |P| = 1 (u, v in 0..1, picture-relative,
// so every rendition and every rescaled copy carries the same pattern).
// Embedding: during the first windowFrames frames of every segment,
//   A: Y += +amplitude * envelope(k) * P,   B: Y -= amplitude * envelope(k) * P
// with a raised-cosine envelope over rampFrames at both ends of the window (no visible pop).
// The frames after the window are not marked and are shared by A and B.
// Plain value; thread: any (const methods are pure).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace reelgate::media {

struct ForensicMarkSpec {
    std::uint32_t seed = 1;
    double amplitude = 3.0; // peak luma change, 8-bit code values
    int windowFrames = 30;  // marked frames at the start of every segment
    int rampFrames = 6;     // envelope rise/fall at each end of the window

    nlohmann::json toJson() const;
    static ForensicMarkSpec fromJson(const nlohmann::json& json);
};

class ForensicMark {
public:
    static constexpr int kComponents = 6;
    static constexpr int kMaxCycles = 3;

    explicit ForensicMark(ForensicMarkSpec spec);

    const ForensicMarkSpec& spec() const { return spec_; }
    // Pattern value in [-1, 1] at picture-relative (u, v).
    double pattern(double u, double v) const;
    // Envelope in [0, 1] for frame k (0-based) of a window of `windowFrames` frames.
    double envelope(int k, int windowFrames) const;
    // amplitude * P at every pixel centre of a widthPx x heightPx luma plane, row-major.
    std::vector<float> lumaOffsets(int widthPx, int heightPx) const;
    // Adds sign * envelope * masking * offsets to an 8-bit luma plane. masking (maskingGain) is 1
    // on ordinary pictures and up to kMaxMaskGain inside dense pixel-level texture, where x264
    // at the ladder's bitrates would quantise a 3-level mark away and the texture hides a
    // stronger one. What a pixel at 0 or 255 cannot take goes to its right-hand neighbour (the
    // local mean, which the detector reads, keeps the mark on saturated binary texture).
    static void apply(std::uint8_t* luma, int linesize, int widthPx, int heightPx,
                      const std::vector<float>& offsets, double signedGain);

    // Per-pixel mark gain from the picture's local activity (mean |dx| + |dy| over 16x16 blocks):
    // 1 below kMaskActivityStart, rising to kMaxMaskGain; a block keeps the boost only when its
    // 8 neighbours are textured too, and the gain is interpolated between block centres.
    // Empty when no block is boosted (gain 1 everywhere).
    static std::vector<float> maskingGain(const std::uint8_t* luma, int linesize, int widthPx,
                                          int heightPx);

    static constexpr int kMaskBlockPx = 16;
    static constexpr double kMaskActivityStart = 24; // code values per pixel step
    static constexpr double kMaskActivitySpan = 48;
    static constexpr double kMaxMaskGain = 4;

private:
    struct Component {
        double fu = 0, fv = 0, phase = 0, weight = 0;
    };
    ForensicMarkSpec spec_;
    std::vector<Component> components_;
    double norm_ = 1;
};

} // namespace reelgate::media
