#include "ForensicSlotReader.h"

#include "reelgate/media/ForensicDetector.h"

#include <algorithm>
#include <cmath>

namespace reelgate::media {
namespace {

// Removes from vectors their projection on span{1, m, m^2}: brightness, contrast and a gamma-like
// bend between the package and the copy (screen captures change all three).
class LevelProjector {
public:
    explicit LevelProjector(const std::vector<double>& m) {
        const std::size_t n = m.size();
        basis_.assign(3, std::vector<double>(n));
        double mMean = 0;
        for (double v : m) {
            mMean += v;
        }
        mMean /= static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double c = (m[i] - mMean) / 64.0;
            basis_[0][i] = 1;
            basis_[1][i] = c;
            basis_[2][i] = c * c;
        }
        for (std::size_t k = 0; k < 3; ++k) {
            for (std::size_t l = 0; l < k; ++l) {
                const double p = dot(basis_[k], basis_[l]);
                for (std::size_t i = 0; i < n; ++i) {
                    basis_[k][i] -= p * basis_[l][i];
                }
            }
            const double norm = std::sqrt(dot(basis_[k], basis_[k]));
            for (double& v : basis_[k]) {
                v = norm > 1e-12 ? v / norm : 0;
            }
        }
    }
    void apply(std::vector<double>& x) const {
        for (const auto& b : basis_) {
            const double p = dot(x, b);
            for (std::size_t i = 0; i < x.size(); ++i) {
                x[i] -= p * b[i];
            }
        }
    }
    static double dot(const std::vector<double>& a, const std::vector<double>& b) {
        double sum = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            sum += a[i] * b[i];
        }
        return sum;
    }

private:
    std::vector<std::vector<double>> basis_;
};

// The pattern family evaluated at the valid suspect cells (package coordinates).
std::vector<double> patternAtCells(const ForensicMarkSpec& spec, const GridSampler& sampler) {
    const ForensicMark mark(spec);
    std::vector<double> values;
    for (std::size_t c = 0; c < sampler.valid().size(); ++c) {
        if (sampler.valid()[c] != 0) {
            values.push_back(spec.amplitude * mark.pattern(sampler.u()[c], sampler.v()[c]));
        }
    }
    return values;
}

} // namespace

// The template is the designed mark itself, not the references' A - B: that difference also
// holds the two encoders' different coding loss, which a pristine copy (the creator's source)
// would match. Mark and decoys come from one generator, so the decoys calibrate the null exactly.
SlotReader::SlotReader(const ReferenceData& ref, const GridSampler& sampler)
    : ref_(ref)
    , sampler_(sampler)
    , sums_(static_cast<std::size_t>(ref.slotCount)) {
    markCells_ = patternAtCells(ref.mark, sampler);
    for (int k = 0; k < kDecoys; ++k) {
        ForensicMarkSpec spec = ref.mark;
        spec.seed = ref.mark.seed ^ (0x9e3779b9u * static_cast<std::uint32_t>(k + 1));
        decoys_.push_back(patternAtCells(spec, sampler));
    }
}

void SlotReader::add(std::size_t window, const std::vector<float>& cells,
                     const std::vector<float>& midSampled) {
    const ReferenceWindowFrame& w = ref_.window[window];
    s_.clear();
    m_.clear();
    for (std::size_t c = 0; c < cells.size(); ++c) {
        if (sampler_.valid()[c] != 0) {
            s_.push_back(cells[c]);
            m_.push_back(midSampled[c]);
        }
    }
    d_ = markCells_;
    for (double& v : d_) {
        v *= w.envelope;
    }
    const LevelProjector projector(m_);
    projector.apply(s_);
    projector.apply(d_);
    Sums& slot = sums_[static_cast<std::size_t>(w.slot)];
    slot.sd += LevelProjector::dot(s_, d_);
    slot.dd += LevelProjector::dot(d_, d_);
    ++slot.frames;
    for (std::size_t k = 0; k < kDecoys; ++k) {
        q_ = decoys_[k];
        for (double& v : q_) {
            v *= w.envelope;
        }
        projector.apply(q_);
        slot.sq[k] += LevelProjector::dot(s_, q_);
        slot.dq[k] += LevelProjector::dot(d_, q_);
        slot.qq[k] += LevelProjector::dot(q_, q_);
    }
}

double SlotReader::minGain(std::int64_t n) const {
    const auto slot = static_cast<std::size_t>(n);
    const double carried = slot < ref_.carriedGain.size() ? ref_.carriedGain[slot] : 1.0;
    return ForensicDetector::kMinGain *
           std::clamp(carried, ForensicDetector::kMinGainFraction, 1.0);
}

SlotReading SlotReader::reading(std::int64_t n) const {
    const Sums& slot = sums_[static_cast<std::size_t>(n)];
    SlotReading reading;
    reading.slot = n;
    reading.framesUsed = slot.frames;
    if (slot.frames == 0 || slot.dd <= 1e-9) {
        return reading;
    }
    reading.gamma = slot.sd / slot.dd;
    double noise = 0;
    for (std::size_t k = 0; k < kDecoys; ++k) {
        if (slot.qq[k] > 1e-12) {
            // Coefficient of a decoy with the energy of the mark template, once the mark is
            // removed.
            const double g =
                (slot.sq[k] - reading.gamma * slot.dq[k]) / std::sqrt(slot.qq[k] * slot.dd);
            noise += g * g;
        }
    }
    const double sigma = std::sqrt(noise / kDecoys);
    reading.z = sigma > 1e-12 ? reading.gamma / sigma : 0;
    if (std::abs(reading.z) >= ForensicDetector::kMinZ && std::abs(reading.gamma) >= minGain(n)) {
        reading.bit = reading.z > 0 ? SlotBit::A : SlotBit::B;
        reading.confidence = std::erf(std::abs(reading.z) / std::sqrt(2.0));
    }
    return reading;
}

} // namespace reelgate::media
