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

void ForensicMark::apply(std::uint8_t* luma, int linesize, int widthPx, int heightPx,
                         const std::vector<float>& offsets, double signedGain) {
    const float gain = static_cast<float>(signedGain);
    for (int y = 0; y < heightPx; ++y) {
        std::uint8_t* row = luma + static_cast<std::ptrdiff_t>(y) * linesize;
        const float* off =
            offsets.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(widthPx);
        for (int x = 0; x < widthPx; ++x) {
            const int value = row[x] + static_cast<int>(std::lrint(gain * off[x]));
            row[x] = static_cast<std::uint8_t>(std::clamp(value, 0, 255));
        }
    }
}

} // namespace reelgate::media
