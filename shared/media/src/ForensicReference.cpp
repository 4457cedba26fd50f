#include "ForensicReference.h"

#include "TsSegmentMuxer.h"
#include "reelgate/media/MediaError.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace reelgate::media {
namespace {

constexpr int kReferenceLongSideCells = 96;
constexpr int kPreferredHeightPx = 480; // enough bitrate to carry the mark, cheap to decode

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw MediaError("package file missing: " + path.string());
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string segmentBytes(const ReferenceData& ref, std::size_t n, char variant) {
    std::string bytes =
        readFile(ref.renditionDir / std::string(1, variant) / (std::to_string(n) + ".ts"));
    return ref.key.empty()
               ? bytes
               : decryptAes128Cbc(bytes, ref.key, sequenceIv(static_cast<std::int64_t>(n)));
}

} // namespace

Fingerprint fingerprintOf(const std::vector<float>& cells, LumaGrid grid) {
    Fingerprint f{};
    std::array<int, 16> counts{};
    for (int y = 0; y < grid.heightCells; ++y) {
        const int by = y * 4 / grid.heightCells;
        for (int x = 0; x < grid.widthCells; ++x) {
            const int index = by * 4 + x * 4 / grid.widthCells;
            f[static_cast<std::size_t>(index)] +=
                cells[static_cast<std::size_t>(y * grid.widthCells + x)];
            ++counts[static_cast<std::size_t>(index)];
        }
    }
    return finishFingerprint(f, counts);
}

Fingerprint finishFingerprint(Fingerprint sums, const std::array<int, 16>& counts) {
    double mean = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        sums[i] /= static_cast<float>(std::max(1, counts[i]));
        mean += sums[i];
    }
    mean /= 16;
    double norm = 0;
    for (float& v : sums) {
        v = static_cast<float>(v - mean);
        norm += static_cast<double>(v) * v;
    }
    norm = std::sqrt(norm);
    for (float& v : sums) {
        v = norm > 1e-3 ? static_cast<float>(v / norm) : 0.0f;
    }
    return sums;
}

Fingerprint markFingerprint(const ForensicMarkSpec& spec) {
    const ForensicMark mark(spec);
    constexpr int kSamples = 64; // per side
    Fingerprint sums{};
    std::array<int, 16> counts{};
    for (int y = 0; y < kSamples; ++y) {
        for (int x = 0; x < kSamples; ++x) {
            const auto index = static_cast<std::size_t>((y * 4 / kSamples) * 4 + x * 4 / kSamples);
            sums[index] +=
                static_cast<float>(mark.pattern((x + 0.5) / kSamples, (y + 0.5) / kSamples));
            ++counts[index];
        }
    }
    return finishFingerprint(sums, counts);
}

void removeMark(Fingerprint& print, const Fingerprint& mark) {
    double along = 0;
    for (std::size_t i = 0; i < print.size(); ++i) {
        along += static_cast<double>(print[i]) * mark[i];
    }
    double norm = 0;
    for (std::size_t i = 0; i < print.size(); ++i) {
        print[i] = static_cast<float>(print[i] - along * mark[i]);
        norm += static_cast<double>(print[i]) * print[i];
    }
    norm = std::sqrt(norm);
    for (float& v : print) {
        v = norm > 1e-3 ? static_cast<float>(v / norm) : 0.0f;
    }
}

namespace {

// amplitude * P at the cell centres of `grid`, its mean removed.
std::vector<double> centredPattern(const ForensicMark& mark, double amplitude, LumaGrid grid) {
    std::vector<double> values;
    double mean = 0;
    for (int y = 0; y < grid.heightCells; ++y) {
        for (int x = 0; x < grid.widthCells; ++x) {
            values.push_back(amplitude * mark.pattern((x + 0.5) / grid.widthCells,
                                                      (y + 0.5) / grid.heightCells));
            mean += values.back();
        }
    }
    mean /= static_cast<double>(std::max<std::size_t>(1, values.size()));
    for (double& v : values) {
        v -= mean;
    }
    return values;
}

// (<(A - B) / 2, envelope * pattern>, <envelope * pattern, envelope * pattern>) for one window
// frame (the pattern's mean is removed, so a brightness difference does not count).
std::pair<double, double> markFit(const std::vector<float>& a, const std::vector<float>& b,
                                  const std::vector<double>& pattern, double envelope) {
    double along = 0, energy = 0;
    for (std::size_t c = 0; c < pattern.size() && c < a.size() && c < b.size(); ++c) {
        const double d = envelope * pattern[c];
        along += 0.5 * (static_cast<double>(a[c]) - b[c]) * d;
        energy += d * d;
    }
    return {along, energy};
}

} // namespace

ReferenceData loadReference(const std::filesystem::path& packageDir,
                            const PackageManifest& manifest, const std::atomic<bool>* cancel) {
    if (!manifest.abVariants || !manifest.forensic || manifest.renditions.empty()) {
        throw MediaError("package " + packageDir.string() +
                         " has no A/B forensic variants to compare with");
    }
    const ManifestRendition* chosen = &manifest.renditions.front();
    for (const ManifestRendition& r : manifest.renditions) {
        if (std::abs(std::min(r.widthPx, r.heightPx) - kPreferredHeightPx) <
            std::abs(std::min(chosen->widthPx, chosen->heightPx) - kPreferredHeightPx)) {
            chosen = &r;
        }
    }
    ReferenceData ref;
    ref.rendition = chosen->name;
    ref.renditionDir = packageDir / chosen->name;
    if (manifest.encryption) {
        ref.key = readFile(packageDir / manifest.encryption->keyFile);
    }
    ref.grid = gridForAspect(chosen->widthPx, chosen->heightPx, kReferenceLongSideCells);
    ref.frameRate = manifest.frameRate;
    ref.mark = *manifest.forensic;
    ref.slotCount = static_cast<std::int64_t>(manifest.segments.size());
    const ForensicMark mark(ref.mark);
    ref.markPrint = markFingerprint(ref.mark);
    const std::vector<double> pattern = centredPattern(mark, ref.mark.amplitude, ref.grid);
    for (std::size_t n = 0; n < manifest.segments.size(); ++n) {
        if (cancel != nullptr && cancel->load()) {
            throw MediaError("cancelled");
        }
        const ManifestSegment& segment = manifest.segments[n];
        const LumaSequence a = readLumaBuffer(segmentBytes(ref, n, 'a'), ref.grid, 0);
        const int window = static_cast<int>(std::min<std::int64_t>(
            ref.mark.windowFrames, static_cast<std::int64_t>(a.frames.size())));
        // Window frames are fingerprinted as mid = (A + B) / 2, where the marks cancel whatever
        // shape the embedder's masking and the encoder gave them (projecting out the designed
        // print leaves a residual that, on texture with flat block means, A copies matched and
        // B copies anti-matched: their frames were placed in other segments).
        const LumaSequence b = readLumaBuffer(segmentBytes(ref, n, 'b'), ref.grid, 0, window);
        std::vector<float> mid;
        double carried = 0, designed = 0;
        for (std::size_t k = 0; k < a.frames.size(); ++k) {
            const std::vector<float>& cells = a.frames[k].cells;
            if (static_cast<int>(k) < window && k < b.frames.size()) {
                mid.resize(cells.size());
                for (std::size_t c = 0; c < cells.size(); ++c) {
                    mid[c] = 0.5f * (cells[c] + b.frames[k].cells[c]);
                }
            }
            const bool marked = static_cast<int>(k) < window && k < b.frames.size();
            ref.fingerprints.push_back(fingerprintOf(marked ? mid : cells, ref.grid));
            removeMark(ref.fingerprints.back(), ref.markPrint);
            if (static_cast<int>(k) >= window) {
                continue;
            }
            ReferenceWindowFrame w;
            w.frame = segment.firstFrame + static_cast<std::int64_t>(k);
            w.slot = static_cast<std::int64_t>(n);
            w.envelope = mark.envelope(static_cast<int>(k), window);
            if (k < b.frames.size()) {
                const auto [along, energy] = markFit(cells, b.frames[k].cells, pattern, w.envelope);
                carried += along;
                designed += energy;
            }
            w.indexInSegment = static_cast<int>(k);
            ref.window.push_back(w);
        }
        ref.carriedGain.push_back(designed > 1e-9 ? carried / designed : 0.0);
    }
    return ref;
}

const std::vector<float>& ReferenceWindows::keptMid(std::size_t window) {
    auto it = kept_.find(window);
    if (it == kept_.end()) {
        it = kept_.emplace(window, mid(window)).first;
    }
    return it->second;
}

const std::vector<float>& ReferenceWindows::mid(std::size_t window) {
    const ReferenceWindowFrame& w = ref_.window[window];
    const auto k = static_cast<std::size_t>(w.indexInSegment);
    for (const Segment& segment : cache_) {
        if (segment.slot == w.slot) {
            return segment.mids[k];
        }
    }
    const auto n = static_cast<std::size_t>(w.slot);
    const int frames = static_cast<int>(ref_.mark.windowFrames);
    const LumaSequence a = readLumaBuffer(segmentBytes(ref_, n, 'a'), ref_.grid, 0, frames);
    const LumaSequence b = readLumaBuffer(segmentBytes(ref_, n, 'b'), ref_.grid, 0, frames);
    Segment segment;
    segment.slot = w.slot;
    for (std::size_t f = 0; f < a.frames.size() && f < b.frames.size(); ++f) {
        std::vector<float> mid(ref_.grid.size());
        for (std::size_t c = 0; c < mid.size(); ++c) {
            mid[c] = 0.5f * (a.frames[f].cells[c] + b.frames[f].cells[c]);
        }
        segment.mids.push_back(std::move(mid));
    }
    // A window frame the B file lacks (a damaged package) reads as the A picture.
    for (std::size_t f = segment.mids.size(); f <= k && f < a.frames.size(); ++f) {
        segment.mids.push_back(a.frames[f].cells);
    }
    if (segment.mids.size() <= k) {
        throw MediaError("package segment " + std::to_string(n) +
                         " has fewer frames than its manifest");
    }
    if (cache_.size() >= kCachedSegments) {
        cache_.erase(cache_.begin());
    }
    cache_.push_back(std::move(segment));
    return cache_.back().mids[k];
}

} // namespace reelgate::media
