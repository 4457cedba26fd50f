#pragma once
// Internal: what the detector needs from a package, decoded once: a content fingerprint of every
// frame (for the time alignment) and, for every mark-window frame, the luma grid
// mid = (A+B)/2 of one rendition: the picture without the mark.
// Thread: any; no shared state.

#include "LumaSequence.h"
#include "reelgate/media/ForensicMark.h"
#include "reelgate/media/PackageManifest.h"

#include <array>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace reelgate::media {

using Fingerprint = std::array<float, 16>; // 4x4 block means, zero mean and unit norm

Fingerprint fingerprintOf(const std::vector<float>& cells, LumaGrid grid);
// Turns 4x4 block sums and their cell counts into a fingerprint (means, zero mean, unit norm).
Fingerprint finishFingerprint(Fingerprint sums, const std::array<int, 16>& counts);

struct ReferenceWindowFrame {
    std::int64_t frame = 0; // package frame index
    std::int64_t slot = 0;  // segment index
    double envelope = 0;
    std::vector<float> mid;
};

struct ReferenceData {
    std::string rendition;
    LumaGrid grid;
    Rational frameRate;
    ForensicMarkSpec mark;
    std::int64_t slotCount = 0;
    std::vector<Fingerprint> fingerprints; // one per package frame
    std::vector<ReferenceWindowFrame> window;
};

// Throws MediaError for a package without A/B variants or with unreadable segments.
ReferenceData loadReference(const std::filesystem::path& packageDir,
                            const PackageManifest& manifest, const std::atomic<bool>* cancel);

} // namespace reelgate::media
