#include "reelgate/media/ForensicMark.h"

#include "reelgate/core/WatermarkMotion.h"
#include "reelgate/media/MediaError.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reelgate::media {
namespace {

// Deterministic uniform numbers from the seed (mix32 is the core's integer mixer).
class SeedStream {
public:
    explicit SeedStream(std::uint32_t seed)
        : state_(seed) {}
    double next() {
        state_ = core::mix32(state_ + core::kMotionGoldenGamma);
        return static_cast<double>(state_) / 4294967296.0;
    }

private:
    std::uint32_t state_;
};

} // namespace

nlohmann::json ForensicMarkSpec::toJson() const {
    return {{"seed", seed},
            {"amplitude", amplitude},
            {"window_frames", windowFrames},
            {"ramp_frames", rampFrames},
            {"components", ForensicMark::kComponents},
            {"max_cycles", ForensicMark::kMaxCycles}};
}

ForensicMarkSpec ForensicMarkSpec::fromJson(const nlohmann::json& json) {
    ForensicMarkSpec spec;
    try {
        spec.seed = json.value("seed", spec.seed);
        spec.amplitude = json.value("amplitude", spec.amplitude);
        spec.windowFrames = json.value("window_frames", spec.windowFrames);
        spec.rampFrames = json.value("ramp_frames", spec.rampFrames);
    } catch (const nlohmann::json::exception&) {
        throw MediaError("forensic mark spec has a field of the wrong type");
    }
    if (spec.windowFrames < 1 || spec.rampFrames < 0 || spec.amplitude <= 0) {
        throw MediaError("forensic mark spec is out of range");
    }
    return spec;
}

ForensicMark::ForensicMark(ForensicMarkSpec spec)
    : spec_(spec) {
    SeedStream random(spec_.seed);
    for (int i = 0; i < kComponents; ++i) {
        Component c;
        do {
            c.fu = std::floor(random.next() * (kMaxCycles + 1));
            c.fv = std::floor(random.next() * kMaxCycles) + (i % 2 == 0 ? 0 : 1);
        } while (c.fu == 0 && c.fv == 0);
        if (random.next() < 0.5) {
            c.fv = -c.fv; // diagonal components both ways
        }
        c.phase = random.next() * 2 * std::numbers::pi;
        c.weight = 0.6 + 0.4 * random.next();
        components_.push_back(c);
    }
    double peak = 0;
    constexpr int kGrid = 96;
    norm_ = 1;
    for (int y = 0; y < kGrid; ++y) {
        for (int x = 0; x < kGrid; ++x) {
            peak = std::max(peak, std::abs(pattern((x + 0.5) / kGrid, (y + 0.5) / kGrid)));
        }
    }
    norm_ = peak > 0 ? 1.0 / peak : 1.0;
}

double ForensicMark::pattern(double u, double v) const {
    double sum = 0;
    for (const Component& c : components_) {
        sum += c.weight * std::cos(2 * std::numbers::pi * (c.fu * u + c.fv * v) + c.phase);
    }
    return std::clamp(sum * norm_, -1.0, 1.0);
}

double ForensicMark::envelope(int k, int windowFrames) const {
    if (k < 0 || k >= windowFrames) {
        return 0;
    }
    const int ramp = std::min(spec_.rampFrames, windowFrames / 4);
    const int fromEdge = std::min(k, windowFrames - 1 - k);
    if (fromEdge >= ramp) {
        return 1;
    }
    const double s = std::sin(std::numbers::pi / 2 * (fromEdge + 1) / (ramp + 1));
    return s * s;
}

std::vector<float> ForensicMark::lumaOffsets(int widthPx, int heightPx) const {
    std::vector<float> offsets(static_cast<std::size_t>(widthPx) *
                               static_cast<std::size_t>(heightPx));
    for (int y = 0; y < heightPx; ++y) {
        const double v = (y + 0.5) / heightPx;
        for (int x = 0; x < widthPx; ++x) {
            offsets[static_cast<std::size_t>(y) * static_cast<std::size_t>(widthPx) +
                    static_cast<std::size_t>(x)] =
                static_cast<float>(spec_.amplitude * pattern((x + 0.5) / widthPx, v));
        }
    }
    return offsets;
}

std::vector<float> ForensicMark::maskingGain(const std::uint8_t* luma, int linesize, int widthPx,
                                             int heightPx) {
    const int bw = (widthPx + kMaskBlockPx - 1) / kMaskBlockPx;
    const int bh = (heightPx + kMaskBlockPx - 1) / kMaskBlockPx;
    std::vector<float> block(static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh), 1.0f);
    for (int by = 0; by < bh; ++by) {
        for (int bx = 0; bx < bw; ++bx) {
            long sum = 0;
            int count = 0;
            const int y1 = std::min(heightPx - 1, (by + 1) * kMaskBlockPx);
            const int x1 = std::min(widthPx - 1, (bx + 1) * kMaskBlockPx);
            for (int y = by * kMaskBlockPx; y < y1; ++y) {
                const std::uint8_t* row = luma + static_cast<std::ptrdiff_t>(y) * linesize;
                for (int x = bx * kMaskBlockPx; x < x1; ++x) {
                    sum += std::abs(row[x + 1] - row[x]) + std::abs(row[x + linesize] - row[x]);
                    ++count;
                }
            }
            const double activity = count > 0 ? static_cast<double>(sum) / count : 0;
            block[static_cast<std::size_t>(by * bw + bx)] = static_cast<float>(
                1 + std::clamp((activity - kMaskActivityStart) / kMaskActivitySpan, 0.0,
                               kMaxMaskGain - 1));
        }
    }
    // Only blocks whose neighbours are all textured keep the boost (no stronger mark next to a
    // flat area), then the gain is interpolated between block centres (no step at a block edge).
    std::vector<float> eroded(block.size());
    for (int by = 0; by < bh; ++by) {
        for (int bx = 0; bx < bw; ++bx) {
            float low = block[static_cast<std::size_t>(by * bw + bx)];
            for (int ny = std::max(0, by - 1); ny <= std::min(bh - 1, by + 1); ++ny) {
                for (int nx = std::max(0, bx - 1); nx <= std::min(bw - 1, bx + 1); ++nx) {
                    low = std::min(low, block[static_cast<std::size_t>(ny * bw + nx)]);
                }
            }
            eroded[static_cast<std::size_t>(by * bw + bx)] = low;
        }
    }
    std::vector<float> gain;
    if (std::all_of(eroded.begin(), eroded.end(), [](float g) { return g == 1.0f; })) {
        return gain; // ordinary picture: no boost anywhere
    }
    gain.resize(static_cast<std::size_t>(widthPx) * static_cast<std::size_t>(heightPx));
    auto at = [&](int bx, int by) {
        return eroded[static_cast<std::size_t>(std::clamp(by, 0, bh - 1) * bw +
                                               std::clamp(bx, 0, bw - 1))];
    };
    for (int y = 0; y < heightPx; ++y) {
        const double fy = (y + 0.5) / kMaskBlockPx - 0.5;
        const int by = static_cast<int>(std::floor(fy));
        const float ty = static_cast<float>(fy - by);
        for (int x = 0; x < widthPx; ++x) {
            const double fx = (x + 0.5) / kMaskBlockPx - 0.5;
            const int bx = static_cast<int>(std::floor(fx));
            const float tx = static_cast<float>(fx - bx);
            const float top = at(bx, by) * (1 - tx) + at(bx + 1, by) * tx;
            const float bottom = at(bx, by + 1) * (1 - tx) + at(bx + 1, by + 1) * tx;
            gain[static_cast<std::size_t>(y) * static_cast<std::size_t>(widthPx) +
                 static_cast<std::size_t>(x)] = top * (1 - ty) + bottom * ty;
        }
    }
    return gain;
}

void ForensicMark::apply(std::uint8_t* luma, int linesize, int widthPx, int heightPx,
                         const std::vector<float>& offsets, double signedGain) {
    const std::vector<float> masking = maskingGain(luma, linesize, widthPx, heightPx);
    const float gain = static_cast<float>(signedGain);
    for (int y = 0; y < heightPx; ++y) {
        std::uint8_t* row = luma + static_cast<std::ptrdiff_t>(y) * linesize;
        const std::size_t first = static_cast<std::size_t>(y) * static_cast<std::size_t>(widthPx);
        float carry = 0; // what the previous pixel could not take (it was at 0 or 255)
        for (int x = 0; x < widthPx; ++x) {
            const std::size_t i = first + static_cast<std::size_t>(x);
            const float own = gain * offsets[i] * (masking.empty() ? 1.0f : masking[i]);
            const float want = own + carry;
            const int value = std::clamp(row[x] + static_cast<int>(std::lrint(want)), 0, 255);
            // Only one pixel's worth is passed on: a saturated area is not marked, and its edge
            // does not receive the sum of a whole row.
            carry = std::clamp(want - static_cast<float>(value - row[x]), -std::abs(own),
                               std::abs(own));
            row[x] = static_cast<std::uint8_t>(value);
        }
    }
}

} // namespace reelgate::media
