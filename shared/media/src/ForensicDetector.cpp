#include "reelgate/media/ForensicDetector.h"

#include "ForensicAlignment.h"
#include "ForensicReference.h"
#include "ForensicSlotReader.h"
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
constexpr int kCoarseLongSideCells = 32; // time fingerprints: 4x4 blocks of these, 1 byte each
constexpr std::size_t kCropSamples = 48;
constexpr std::size_t kSparseFrames = 400; // full grids kept from the first pass: 400..800

// The suspect after its first decoding pass: per frame its time and a coarse grid (for the time
// fingerprints), and the full grid of an even subset of at most 2 * kSparseFrames frames (for the
// picture-rectangle search). Every frame's full grid is read again in the final pass.
struct SuspectScan {
    LumaGrid grid;
    LumaGrid coarse;
    std::vector<double> t;                              // relative to the first frame
    std::vector<std::vector<std::uint8_t>> coarseCells; // 576 bytes a 16:9 frame
    std::size_t sparseStep = 1;
    std::map<std::size_t, std::vector<float>> sparse; // frame index -> full grid
};

std::vector<std::uint8_t> coarsen(const std::vector<float>& cells, LumaGrid grid, LumaGrid coarse) {
    std::vector<float> out(coarse.size(), 0.0f);
    std::vector<int> counts(coarse.size(), 0);
    for (int y = 0; y < grid.heightCells; ++y) {
        const int cy = y * coarse.heightCells / grid.heightCells;
        for (int x = 0; x < grid.widthCells; ++x) {
            const auto c = static_cast<std::size_t>(cy * coarse.widthCells +
                                                    x * coarse.widthCells / grid.widthCells);
            out[c] += cells[static_cast<std::size_t>(y * grid.widthCells + x)];
            ++counts[c];
        }
    }
    std::vector<std::uint8_t> bytes(out.size());
    for (std::size_t c = 0; c < out.size(); ++c) {
        const float mean = out[c] / static_cast<float>(std::max(1, counts[c]));
        bytes[c] = static_cast<std::uint8_t>(std::clamp(std::lround(mean), 0L, 255L));
    }
    return bytes;
}

SuspectScan scanSuspect(const std::filesystem::path& suspect) {
    SuspectScan scan;
    double first = 0;
    std::size_t index = 0;
    scanLumaFile(suspect, {}, kSuspectLongSideCells, [&](LumaFrame& frame, LumaGrid grid) {
        if (index == 0) {
            first = frame.seconds;
            scan.grid = grid;
            scan.coarse = gridForAspect(grid.widthCells, grid.heightCells, kCoarseLongSideCells);
        }
        scan.t.push_back(frame.seconds - first);
        scan.coarseCells.push_back(coarsen(frame.cells, scan.grid, scan.coarse));
        if (index % scan.sparseStep == 0) {
            scan.sparse[index] = frame.cells;
        }
        if (scan.sparse.size() > 2 * kSparseFrames) {
            scan.sparseStep *= 2;
            for (auto it = scan.sparse.begin(); it != scan.sparse.end();) {
                it = it->first % scan.sparseStep == 0 ? std::next(it) : scan.sparse.erase(it);
            }
        }
        ++index;
    });
    return scan;
}

// Flips a grid left to right (a mirrored copy is read in the package's orientation).
template <typename Cell> void mirror(std::vector<Cell>& cells, LumaGrid grid) {
    const auto width = static_cast<std::size_t>(grid.widthCells);
    for (std::size_t row = 0; row + width <= cells.size(); row += width) {
        std::reverse(cells.begin() + static_cast<std::ptrdiff_t>(row),
                     cells.begin() + static_cast<std::ptrdiff_t>(row + width));
    }
}

void mirror(SuspectScan& scan) {
    for (auto& cells : scan.coarseCells) {
        mirror(cells, scan.coarse);
    }
    for (auto& [index, cells] : scan.sparse) {
        mirror(cells, scan.grid);
    }
}

// Package frame -> index into ReferenceData::window, -1 outside the mark windows.
std::vector<std::int32_t> windowOfFrame(const ReferenceData& ref) {
    std::vector<std::int32_t> of(ref.fingerprints.size(), -1);
    for (std::size_t w = 0; w < ref.window.size(); ++w) {
        const std::int64_t frame = ref.window[w].frame;
        if (frame >= 0 && frame < static_cast<std::int64_t>(of.size())) {
            of[static_cast<std::size_t>(frame)] = static_cast<std::int32_t>(w);
        }
    }
    return of;
}

// A copy's frame timing is rarely exact (frame-rate conversion, capture jitter): a suspect frame
// moves to the neighbouring window frame of the same slot whose picture matches better.
// kept: the picture search's frames (ReferenceWindows::keptMid), not the final pass's.
// On return `sampled` holds the returned window's mid grid at the suspect cells (the slot reader
// uses it as is: each window frame is sampled once); `scratch` is working space.
std::size_t refineWindow(std::size_t window, const std::vector<float>& cells,
                         const ReferenceData& ref, ReferenceWindows& windows,
                         const GridSampler& sampler, std::vector<float>& sampled,
                         std::vector<float>& scratch, bool kept) {
    auto midOf = [&](std::size_t w) -> const std::vector<float>& {
        return kept ? windows.keptMid(w) : windows.mid(w);
    };
    std::size_t best = window;
    sampler.sample(midOf(window), sampled);
    double bestCost = contentMismatch(cells, sampled, sampler.coverage(), sampler.widthCells());
    for (const std::size_t other : {window - 1, window + 1}) {
        if (other >= ref.window.size() || ref.window[other].slot != ref.window[window].slot) {
            continue;
        }
        sampler.sample(midOf(other), scratch);
        const double cost =
            contentMismatch(cells, scratch, sampler.coverage(), sampler.widthCells());
        if (cost < bestCost) {
            bestCost = cost;
            best = other;
            sampled.swap(scratch);
        }
    }
    return best;
}

// The picture rectangle from an even subset of the first pass's full grids that fall into mark
// windows, each matched to its best neighbouring window frame once the first estimate is known.
CropBox cropFromScan(const SuspectScan& scan, const TimeMap& time, const ReferenceData& ref,
                     ReferenceWindows& windows, const std::vector<std::int32_t>& windowOf) {
    std::vector<std::pair<std::size_t, std::size_t>> pairs; // (window, frame)
    for (const auto& [index, cells] : scan.sparse) {
        const std::int64_t frame = index < time.packageFrame.size() ? time.packageFrame[index] : -1;
        if (frame >= 0 && frame < static_cast<std::int64_t>(windowOf.size()) &&
            windowOf[static_cast<std::size_t>(frame)] >= 0) {
            pairs.emplace_back(static_cast<std::size_t>(windowOf[static_cast<std::size_t>(frame)]),
                               index);
        }
    }
    if (pairs.empty()) {
        return {};
    }
    std::vector<std::pair<std::size_t, std::size_t>> picked;
    const std::size_t step = std::max<std::size_t>(1, pairs.size() / kCropSamples);
    for (std::size_t p = 0; p < pairs.size(); p += step) {
        picked.push_back(pairs[p]);
    }
    auto estimate = [&] {
        std::vector<CropSample> samples;
        for (const auto& [window, index] : picked) {
            samples.push_back({&scan.sparse.at(index), &windows.keptMid(window)});
        }
        return estimateCrop(samples, ref.grid, scan.grid);
    };
    CropBox box = estimate();
    const GridSampler sampler(ref.grid, scan.grid, box);
    std::vector<float> sampled, scratch;
    for (auto& [window, index] : picked) {
        window = refineWindow(window, scan.sparse.at(index), ref, windows, sampler, sampled,
                              scratch, true);
    }
    return estimate();
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
    SuspectScan copy = scanSuspect(suspect);
    if (copy.t.empty()) {
        throw MediaError(suspect.filename().string() + " has no decodable video frames");
    }
    const ReferenceData ref = loadReference(packageDir_, manifest, cancel);
    ReferenceWindows windows(ref);
    const std::vector<std::int32_t> windowOf = windowOfFrame(ref);
    DetectionReport report;
    report.rendition = ref.rendition;

    // 1. Time, then picture, then time again on the package part of the copy (borders added by
    //    a capture would otherwise blur the fingerprints), then the picture once more. A copy
    //    may be mirrored: both orientations are tried and the better aligned one is read.
    struct Fit {
        CropBox box;
        TimeMap time;
    };
    auto align = [&] {
        Fit fit;
        for (int pass = 0; pass < 2; ++pass) {
            std::vector<Fingerprint> prints;
            std::vector<float> cells;
            for (const std::vector<std::uint8_t>& bytes : copy.coarseCells) {
                cells.assign(bytes.begin(), bytes.end());
                prints.push_back(fingerprintInBox(cells, copy.coarse, fit.box));
                removeMark(prints.back(), ref.markPrint);
            }
            fit.time = alignPiecewise(ref.fingerprints, prints, copy.t, ref.frameRate.value());
            fit.box = cropFromScan(copy, fit.time, ref, windows, windowOf);
            if (cancel != nullptr && cancel->load()) {
                throw MediaError("cancelled");
            }
        }
        return fit;
    };
    const Fit straight = align();
    mirror(copy);
    const Fit mirrored = align();
    report.mirrored = mirrored.time.global.score > straight.time.global.score;
    const Fit& chosen = report.mirrored ? mirrored : straight;
    const CropBox box = chosen.box;
    const TimeAlignment when = chosen.time.global;
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
    report.cropLeft = box.x0;
    report.cropTop = box.y0;
    report.cropRight = box.x1;
    report.cropBottom = box.y1;
    const std::vector<std::int64_t> packageFrame = chosen.time.packageFrame;
    const LumaGrid grid = copy.grid;
    copy = SuspectScan{}; // the first pass's grids are no longer needed

    // 2. Per slot: the mark's gain and its significance against decoy patterns, read while the
    //    copy is decoded a second time (no frame is kept).
    const GridSampler sampler(ref.grid, grid, box);
    SlotReader reader(ref, sampler);
    std::vector<float> sampled, scratch;
    std::size_t index = 0;
    scanLumaFile(suspect, grid, 0, [&](LumaFrame& frame, LumaGrid) {
        const std::int64_t at = index < packageFrame.size() ? packageFrame[index] : -1;
        ++index;
        if (at < 0 || at >= static_cast<std::int64_t>(windowOf.size()) ||
            windowOf[static_cast<std::size_t>(at)] < 0) {
            return;
        }
        if (cancel != nullptr && cancel->load()) {
            throw MediaError("cancelled");
        }
        if (report.mirrored) {
            mirror(frame.cells, grid);
        }
        const std::size_t window =
            refineWindow(static_cast<std::size_t>(windowOf[static_cast<std::size_t>(at)]),
                         frame.cells, ref, windows, sampler, sampled, scratch, false);
        reader.add(window, frame.cells, sampled);
    });
    for (std::int64_t n = 0; n < ref.slotCount; ++n) {
        report.readings.push_back(reader.reading(n));
    }
    const std::vector<double> soft = report.softBits();
    if (std::any_of(soft.begin(), soft.end(), [](double v) { return v != 0; })) {
        report.decoded = core::ForensicCode::decode(soft, std::int64_t{0});
    }
    return report;
}

} // namespace reelgate::media
