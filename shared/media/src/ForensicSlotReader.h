#pragma once
// Internal: the per-slot statistic of the forensic detector. Every suspect frame shown during a
// mark window is added as it is decoded (nothing kept per frame): it is fitted as
// levels(mid) + gamma * amplitude * envelope * P at the valid suspect cells, and the same fit
// against kDecoys decoy patterns gives the noise. reading(n) turns slot n's sums into a bit.
// Thread: one reader per thread.

#include "ForensicAlignment.h"
#include "ForensicReference.h"
#include "reelgate/media/ForensicDetector.h"

#include <array>
#include <cstdint>
#include <vector>

namespace reelgate::media {

class SlotReader {
public:
    static constexpr int kDecoys = 16;

    SlotReader(const ReferenceData& ref, const GridSampler& sampler);
    // cells: the suspect frame's grid; midSampled: the package window frame's mid grid sampled
    // at the suspect cells (GridSampler::sample with the reader's sampler).
    void add(std::size_t window, const std::vector<float>& cells,
             const std::vector<float>& midSampled);
    SlotReading reading(std::int64_t slot) const;
    // The gain a bit of slot n needs: ForensicDetector::kMinGain, scaled down where the package's
    // own A and B carry less than the designed mark (ReferenceData::carriedGain), to at most
    // kMinGainFraction of it.
    double minGain(std::int64_t slot) const;

private:
    struct Sums {
        double sd = 0, dd = 0;
        std::array<double, kDecoys> sq{}, dq{}, qq{};
        int frames = 0;
    };
    const ReferenceData& ref_;
    const GridSampler& sampler_;
    std::vector<Sums> sums_;
    std::vector<double> markCells_;
    std::vector<std::vector<double>> decoys_;
    std::vector<double> s_, m_, d_, q_;
};

} // namespace reelgate::media
