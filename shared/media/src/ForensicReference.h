#pragma once
// Internal: what the detector needs from a package: a content fingerprint of every frame (for
// the time alignment, 64 bytes a frame) and, for a mark-window frame, the luma grid
// mid = (A+B)/2 of one rendition: the picture without the mark. Mid grids are decoded on demand,
// a few segments at a time (ReferenceWindows), so memory does not grow with the film's length.
// Thread: any; no shared state (one ReferenceWindows per thread).

#include "LumaSequence.h"
#include "reelgate/media/ForensicMark.h"
#include "reelgate/media/PackageManifest.h"

#include <array>
#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace reelgate::media {

using Fingerprint = std::array<float, 16>; // 4x4 block means, zero mean and unit norm

Fingerprint fingerprintOf(const std::vector<float>& cells, LumaGrid grid);
// Turns 4x4 block sums and their cell counts into a fingerprint (means, zero mean, unit norm).
Fingerprint finishFingerprint(Fingerprint sums, const std::array<int, 16>& counts);

// The mark's own fingerprint (4x4 block means of P), and a fingerprint with that direction
// removed (renormalised): the time alignment must match pictures, not the mark, which on flat
// fingerprints (dense texture, where the embedder boosts it) would otherwise dominate them.
Fingerprint markFingerprint(const ForensicMarkSpec& spec);
void removeMark(Fingerprint& print, const Fingerprint& mark);

struct ReferenceWindowFrame {
    std::int64_t frame = 0; // package frame index
    std::int64_t slot = 0;  // segment index
    double envelope = 0;
    int indexInSegment = 0; // k: the segment's k-th frame
};

struct ReferenceData {
    std::string rendition;
    LumaGrid grid;
    Rational frameRate;
    ForensicMarkSpec mark;
    std::int64_t slotCount = 0;
    Fingerprint markPrint{};               // markFingerprint(mark)
    std::vector<Fingerprint> fingerprints; // one per package frame, the mark removed
    std::vector<ReferenceWindowFrame> window;
    // Per slot: how much of the designed mark the package's own A and B carry, (A - B) / 2
    // fitted against amplitude * envelope * P over the window (1: all of it; dense texture after
    // the package's encoder keeps less, masking can make it more).
    std::vector<double> carriedGain;
    // Where the chosen rendition's segments are, and the key to decrypt them (empty: clear).
    std::filesystem::path renditionDir;
    std::string key;
};

// Throws MediaError for a package without A/B variants or with unreadable segments.
ReferenceData loadReference(const std::filesystem::path& packageDir,
                            const PackageManifest& manifest, const std::atomic<bool>* cancel);

// The mid grids of window frames, decoding A and B windows of a segment when first asked and
// keeping the last kCachedSegments segments.
class ReferenceWindows {
public:
    explicit ReferenceWindows(const ReferenceData& ref)
        : ref_(ref) {}
    const std::vector<float>& mid(std::size_t window);
    // Same, kept until the end of the detection (the few hundred frames of the picture search,
    // asked again at every pass).
    const std::vector<float>& keptMid(std::size_t window);

private:
    static constexpr std::size_t kCachedSegments = 4;
    struct Segment {
        std::int64_t slot = -1;
        std::vector<std::vector<float>> mids; // by indexInSegment
    };
    const ReferenceData& ref_;
    std::vector<Segment> cache_; // most recently loaded last
    std::map<std::size_t, std::vector<float>> kept_;
};

} // namespace reelgate::media
