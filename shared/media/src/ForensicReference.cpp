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
    std::string key;
    if (manifest.encryption) {
        key = readFile(packageDir / manifest.encryption->keyFile);
    }
    auto segmentBytes = [&](std::size_t n, char variant) {
        std::string bytes = readFile(packageDir / chosen->name / std::string(1, variant) /
                                     (std::to_string(n) + ".ts"));
        return key.empty() ? bytes
                           : decryptAes128Cbc(bytes, key, sequenceIv(static_cast<std::int64_t>(n)));
    };

    ReferenceData ref;
    ref.rendition = chosen->name;
    ref.grid = gridForAspect(chosen->widthPx, chosen->heightPx, kReferenceLongSideCells);
    ref.frameRate = manifest.frameRate;
    ref.mark = *manifest.forensic;
    ref.slotCount = static_cast<std::int64_t>(manifest.segments.size());
    const ForensicMark mark(ref.mark);
    for (std::size_t n = 0; n < manifest.segments.size(); ++n) {
        if (cancel != nullptr && cancel->load()) {
            throw MediaError("cancelled");
        }
        const ManifestSegment& segment = manifest.segments[n];
        const LumaSequence a = readLumaBuffer(segmentBytes(n, 'a'), ref.grid, 0);
        const int window = static_cast<int>(std::min<std::int64_t>(
            ref.mark.windowFrames, static_cast<std::int64_t>(a.frames.size())));
        const LumaSequence b = readLumaBuffer(segmentBytes(n, 'b'), ref.grid, 0, window);
        for (std::size_t k = 0; k < a.frames.size(); ++k) {
            ref.fingerprints.push_back(fingerprintOf(a.frames[k].cells, ref.grid));
            if (static_cast<int>(k) >= window || k >= b.frames.size()) {
                continue;
            }
            ReferenceWindowFrame w;
            w.frame = segment.firstFrame + static_cast<std::int64_t>(k);
            w.slot = static_cast<std::int64_t>(n);
            w.envelope = mark.envelope(static_cast<int>(k), window);
            w.mid.resize(ref.grid.size());
            for (std::size_t c = 0; c < ref.grid.size(); ++c) {
                w.mid[c] = 0.5f * (a.frames[k].cells[c] + b.frames[k].cells[c]);
            }
            ref.window.push_back(std::move(w));
        }
    }
    return ref;
}

} // namespace reelgate::media
