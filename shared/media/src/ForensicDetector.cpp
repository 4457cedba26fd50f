#include "reelgate/media/ForensicDetector.h"

#include "ForensicAlignment.h"
#include "ForensicReference.h"
#include "ForensicTimeline.h"
#include "LumaSequence.h"
#include "reelgate/media/MediaError.h"
#include "reelgate/media/PackageManifest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace reelgate::media {
namespace {

constexpr int kSuspectLongSideCells = 64;
constexpr int kDecoys = 16;
constexpr std::size_t kCropSamples = 48;

// A suspect frame j showing package window frame `window`.
struct Pair {
    std::size_t window = 0; // index into ReferenceData::window
    std::size_t suspect = 0;
};

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

struct SlotSums {
    double sd = 0, dd = 0;
    std::array<double, kDecoys> sq{}, dq{}, qq{};
    int frames = 0;
};

std::vector<Pair> pairFrames(const ReferenceData& ref, const TimeMap& time) {
    std::map<std::int64_t, std::size_t> windowByFrame;
    for (std::size_t w = 0; w < ref.window.size(); ++w) {
        windowByFrame[ref.window[w].frame] = w;
    }
    std::vector<Pair> pairs;
    for (std::size_t j = 0; j < time.packageFrame.size(); ++j) {
        auto it = windowByFrame.find(time.packageFrame[j]);
        if (it != windowByFrame.end()) {
            pairs.push_back({it->second, j});
        }
    }
    return pairs;
}

CropBox cropFromPairs(const std::vector<Pair>& pairs, const ReferenceData& ref,
                      const LumaSequence& copy) {
    std::vector<CropSample> samples;
    const std::size_t step = std::max<std::size_t>(1, pairs.size() / kCropSamples);
    for (std::size_t p = 0; p < pairs.size(); p += step) {
        samples.push_back({&copy.frames[pairs[p].suspect].cells, &ref.window[pairs[p].window].mid});
    }
    return samples.empty() ? CropBox{} : estimateCrop(samples, ref.grid, copy.grid);
}

// A copy's frame timing is rarely exact (frame-rate conversion, capture jitter): each pair moves
// to the neighbouring package frame whose picture matches better.
void refinePairs(std::vector<Pair>& pairs, const ReferenceData& ref, const LumaSequence& copy,
                 const GridSampler& sampler) {
    std::vector<float> sampled;
    for (Pair& pair : pairs) {
        const std::vector<float>& s = copy.frames[pair.suspect].cells;
        std::size_t best = pair.window;
        sampler.sample(ref.window[best].mid, sampled);
        double bestCost = contentMismatch(s, sampled, sampler.coverage());
        for (int delta : {-1, 1}) {
            if ((delta < 0 && pair.window == 0) ||
                (delta > 0 && pair.window + 1 >= ref.window.size())) {
                continue;
            }
            const std::size_t other = delta < 0 ? pair.window - 1 : pair.window + 1;
            if (ref.window[other].slot != ref.window[pair.window].slot) {
                continue;
            }
            sampler.sample(ref.window[other].mid, sampled);
            const double cost = contentMismatch(s, sampled, sampler.coverage());
            if (cost < bestCost) {
                bestCost = cost;
                best = other;
            }
        }
        pair.window = best;
    }
}

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

// The template is the designed mark itself, not the references' A - B: that difference also
// holds the two encoders' different coding loss, which a pristine copy (the creator's source)
// would match. Mark and decoys come from one generator, so the decoys calibrate the null exactly.
std::vector<SlotSums> slotSums(const std::vector<Pair>& pairs, const ReferenceData& ref,
                               const LumaSequence& copy, const GridSampler& sampler) {
    const std::vector<double> markCells = patternAtCells(ref.mark, sampler);
    std::vector<std::vector<double>> decoys;
    for (int k = 0; k < kDecoys; ++k) {
        ForensicMarkSpec spec = ref.mark;
        spec.seed = ref.mark.seed ^ (0x9e3779b9u * static_cast<std::uint32_t>(k + 1));
        decoys.push_back(patternAtCells(spec, sampler));
    }
    std::vector<SlotSums> sums(static_cast<std::size_t>(ref.slotCount));
    std::vector<float> midSampled;
    std::vector<double> s, m, d, q;
    for (const Pair& pair : pairs) {
        const ReferenceWindowFrame& w = ref.window[pair.window];
        sampler.sample(w.mid, midSampled);
        s.clear();
        m.clear();
        const std::vector<float>& cells = copy.frames[pair.suspect].cells;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (sampler.valid()[c] != 0) {
                s.push_back(cells[c]);
                m.push_back(midSampled[c]);
            }
        }
        d = markCells;
        for (double& v : d) {
            v *= w.envelope;
        }
        const LevelProjector projector(m);
        projector.apply(s);
        projector.apply(d);
        SlotSums& slot = sums[static_cast<std::size_t>(w.slot)];
        slot.sd += LevelProjector::dot(s, d);
        slot.dd += LevelProjector::dot(d, d);
        ++slot.frames;
        for (std::size_t k = 0; k < kDecoys; ++k) {
            q = decoys[k];
            for (double& v : q) {
                v *= w.envelope;
            }
            projector.apply(q);
            slot.sq[k] += LevelProjector::dot(s, q);
            slot.dq[k] += LevelProjector::dot(d, q);
            slot.qq[k] += LevelProjector::dot(q, q);
        }
    }
    return sums;
}

SlotReading readSlot(std::int64_t n, const SlotSums& slot) {
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
    if (std::abs(reading.z) >= ForensicDetector::kMinZ &&
        std::abs(reading.gamma) >= ForensicDetector::kMinGain) {
        reading.bit = reading.z > 0 ? SlotBit::A : SlotBit::B;
        reading.confidence = std::erf(std::abs(reading.z) / std::sqrt(2.0));
    }
    return reading;
}

// Flips every frame left to right (a mirrored copy is read in the package's orientation).
void mirror(LumaSequence& copy) {
    const auto width = static_cast<std::size_t>(copy.grid.widthCells);
    for (LumaFrame& f : copy.frames) {
        for (std::size_t row = 0; row + width <= f.cells.size(); row += width) {
            std::reverse(f.cells.begin() + static_cast<std::ptrdiff_t>(row),
                         f.cells.begin() + static_cast<std::ptrdiff_t>(row + width));
        }
    }
}

} // namespace

const char* slotBitName(SlotBit bit) {
    switch (bit) {
    case SlotBit::A:
        return "A";
    case SlotBit::B:
        return "B";
    case SlotBit::Unknown:
    case SlotBit::Invalid:
        break;
    }
    return "?";
}

std::vector<double> DetectionReport::softBits() const {
    std::vector<double> soft;
    for (const SlotReading& s : readings) {
        const double z = std::abs(s.z);
        soft.push_back(s.bit == SlotBit::B ? z : s.bit == SlotBit::A ? -z : 0.0);
    }
    return soft;
}

nlohmann::json DetectionReport::toJson() const {
    nlohmann::json slotList = nlohmann::json::array();
    for (const SlotReading& s : readings) {
        slotList.push_back({{"slot", s.slot},
                            {"bit", slotBitName(s.bit)},
                            {"confidence", s.confidence},
                            {"gamma", s.gamma},
                            {"z", s.z},
                            {"frames", s.framesUsed}});
    }
    nlohmann::json json = {{"rendition", rendition},
                           {"offset_seconds", offsetSeconds},
                           {"speed", speed},
                           {"alignment_score", alignmentScore},
                           {"crop", {cropLeft, cropTop, cropRight, cropBottom}},
                           {"mirrored", mirrored},
                           {"slots", slotList}};
    json["decoded"] = nullptr;
    if (decoded) {
        json["decoded"] = {{"code", decoded->code},
                           {"agreement", decoded->agreement},
                           {"known_slots", decoded->knownSlots},
                           {"disagreeing_slots", decoded->disagreeingSlots},
                           {"frame_coverage", decoded->frameCoverage}};
    }
    return json;
}

ForensicDetector::ForensicDetector(std::filesystem::path packageDir)
    : packageDir_(std::move(packageDir)) {
    const PackageManifest manifest = PackageManifest::load(packageDir_);
    if (!manifest.abVariants || !manifest.forensic) {
        throw MediaError("package " + packageDir_.string() +
                         " was made without A/B variants (--ab); nothing to detect");
    }
}

DetectionReport ForensicDetector::detect(const std::filesystem::path& suspect,
                                         const std::atomic<bool>* cancel) const {
    const PackageManifest manifest = PackageManifest::load(packageDir_);
    LumaSequence copy = readLumaFile(suspect, {}, kSuspectLongSideCells);
    if (copy.frames.empty()) {
        throw MediaError(suspect.filename().string() + " has no decodable video frames");
    }
    const ReferenceData ref = loadReference(packageDir_, manifest, cancel);
    DetectionReport report;
    report.rendition = ref.rendition;

    // 1. Time, then picture, then time again on the package part of the copy (borders added by
    //    a capture would otherwise blur the fingerprints), then the picture once more. A copy
    //    may be mirrored: both orientations are tried and the better aligned one is read.
    std::vector<double> t;
    for (const LumaFrame& f : copy.frames) {
        t.push_back(f.seconds - copy.frames.front().seconds);
    }
    struct Fit {
        CropBox box;
        TimeMap time;
        std::vector<Pair> pairs;
    };
    auto align = [&] {
        Fit fit;
        for (int pass = 0; pass < 2; ++pass) {
            std::vector<Fingerprint> prints;
            for (const LumaFrame& f : copy.frames) {
                prints.push_back(fingerprintInBox(f.cells, copy.grid, fit.box));
            }
            fit.time = alignPiecewise(ref.fingerprints, prints, t, ref.frameRate.value());
            fit.pairs = pairFrames(ref, fit.time);
            fit.box = cropFromPairs(fit.pairs, ref, copy);
            refinePairs(fit.pairs, ref, copy, GridSampler(ref.grid, copy.grid, fit.box));
            fit.box = cropFromPairs(fit.pairs, ref, copy);
            if (cancel != nullptr && cancel->load()) {
                throw MediaError("cancelled");
            }
        }
        return fit;
    };
    Fit straight = align();
    mirror(copy);
    Fit mirrored = align();
    report.mirrored = mirrored.time.global.score > straight.time.global.score;
    if (!report.mirrored) {
        mirror(copy);
    }
    Fit& chosen = report.mirrored ? mirrored : straight;
    const CropBox box = chosen.box;
    const TimeAlignment when = chosen.time.global;
    std::vector<Pair> pairs = std::move(chosen.pairs);
    if (when.score < kMinAlignment) {
        char score[16];
        std::snprintf(score, sizeof score, "%.2f", std::max(0.0, when.score));
        throw MediaError(suspect.filename().string() +
                         " does not match this video: its pictures line up with no part of it "
                         "(alignment " +
                         score + ", a copy of this video reaches " +
                         std::to_string(kMinAlignment).substr(0, 4) + " or more)");
    }
    report.offsetSeconds = static_cast<double>(when.offsetFrames) / ref.frameRate.value();
    report.speed = when.rate;
    report.alignmentScore = std::max(0.0, when.score);
    const GridSampler sampler(ref.grid, copy.grid, box);
    refinePairs(pairs, ref, copy, sampler);
    report.cropLeft = box.x0;
    report.cropTop = box.y0;
    report.cropRight = box.x1;
    report.cropBottom = box.y1;

    // 3. Per slot: the mark's gain and its significance against decoy patterns.
    const std::vector<SlotSums> sums = slotSums(pairs, ref, copy, sampler);
    for (std::int64_t n = 0; n < ref.slotCount; ++n) {
        report.readings.push_back(readSlot(n, sums[static_cast<std::size_t>(n)]));
    }
    const std::vector<double> soft = report.softBits();
    if (std::any_of(soft.begin(), soft.end(), [](double v) { return v != 0; })) {
        report.decoded = core::ForensicCode::decode(soft, std::int64_t{0});
    }
    return report;
}

} // namespace reelgate::media
