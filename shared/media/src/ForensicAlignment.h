#pragma once
// Internal: putting a suspect copy on the package's time line and picture.
// (Time: ForensicTimeline.h.)
// Picture: the suspect shows the package rectangle CropBox (package-picture coordinates 0..1;
// below 0 or above 1 where the copy added borders), found by descending a content-match cost.
// Thread: any; pure functions.

#include "ForensicReference.h"
#include "LumaSequence.h"

#include <cstdint>
#include <vector>

namespace reelgate::media {

struct CropBox {
    double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
};

// Samples package grids at the suspect grid's cells for one CropBox (3x3 bilinear taps per
// cell, averaged over the part of the cell's footprint inside the package picture). A cell is
// valid when all of it lies inside; coverage() is the inside fraction (0..1).
class GridSampler {
public:
    GridSampler(LumaGrid reference, LumaGrid suspect, CropBox box);
    void sample(const std::vector<float>& reference, std::vector<float>& out) const;
    const std::vector<std::uint8_t>& valid() const { return valid_; }
    const std::vector<float>& coverage() const { return coverage_; }
    std::size_t validCount() const { return validCount_; }
    int widthCells() const { return widthCells_; } // of the suspect grid
    // Package-picture coordinates of each suspect cell centre.
    const std::vector<double>& u() const { return u_; }
    const std::vector<double>& v() const { return v_; }

private:
    static constexpr int kTaps = 9;
    struct Tap {
        std::uint32_t index[4];
        float weight[4]; // 0 for a tap outside the picture
    };
    std::vector<Tap> taps_; // kTaps sub-samples x 4 bilinear corners per cell
    std::vector<float> coverage_;
    std::vector<std::uint8_t> valid_;
    std::vector<double> u_, v_;
    std::size_t validCount_ = 0;
    int widthCells_ = 0;
};

// The fingerprint of the part of a suspect frame that shows the package picture.
Fingerprint fingerprintInBox(const std::vector<float>& cells, LumaGrid grid, CropBox box);

// 1 - R^2 of the fit: cells wholly inside the package picture ~ a * sampled + b (the copy's
// picture up to brightness and contrast), cells wholly outside ~ one level per grid row (flat
// borders, a light title bar, a dark task bar: each row of them is flat, their levels differ).
// 0 = explained, 1 = unrelated. A box that puts a bar inside the picture, or picture into the
// border, fits worse.
double contentMismatch(const std::vector<float>& suspect, const std::vector<float>& sampled,
                       const std::vector<float>& coverage, int widthCells);

struct CropSample {
    const std::vector<float>* suspect = nullptr;
    const std::vector<float>* reference = nullptr;
};

CropBox estimateCrop(const std::vector<CropSample>& samples, LumaGrid reference, LumaGrid suspect);

} // namespace reelgate::media
