#include "ForensicAlignment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace reelgate::media {
namespace {

// The copy shows between 70% of the package picture (a crop) and the package picture inside a
// frame twice its size (borders, a player window in a screen capture).
constexpr double kMinCropSize = 0.7;
constexpr double kMaxCropSize = 2.0;
} // namespace

double contentMismatch(const std::vector<float>& suspect, const std::vector<float>& sampled,
                       const std::vector<float>& coverage, int widthCells) {
    // Inside: least squares suspect ~ a * sampled + b over the cells wholly inside the picture.
    double n = 0, x = 0, y = 0, xx = 0, xy = 0, yy = 0;
    // Outside: one free level per row (a title bar, a task bar, a border, each row flat).
    double borderRss = 0, all = 0, allSum = 0, allSquares = 0;
    const auto width = static_cast<std::size_t>(std::max(1, widthCells));
    for (std::size_t row = 0; row + width <= suspect.size(); row += width) {
        double rowN = 0, rowSum = 0, rowSquares = 0;
        for (std::size_t i = row; i < row + width; ++i) {
            const double sy = suspect[i];
            if (coverage[i] >= 1) {
                const double sx = sampled[i];
                n += 1;
                x += sx;
                y += sy;
                xx += sx * sx;
                xy += sx * sy;
                yy += sy * sy;
            } else if (coverage[i] <= 0) {
                rowN += 1;
                rowSum += sy;
                rowSquares += sy * sy;
            } else {
                continue; // partly inside: neither picture nor border
            }
            all += 1;
            allSum += sy;
            allSquares += sy * sy;
        }
        if (rowN > 0) {
            borderRss += rowSquares - rowSum * rowSum / rowN;
        }
    }
    const double total = allSquares - allSum * allSum / std::max(1.0, all);
    if (n < 3 || total <= 1e-9) {
        return 1;
    }
    const double sxx = xx - x * x / n;
    const double sxy = xy - x * y / n;
    const double syy = yy - y * y / n;
    const double insideRss = sxx > 1e-9 ? syy - sxy * sxy / sxx : syy;
    return std::clamp((insideRss + borderRss) / total, 0.0, 1.0);
}

GridSampler::GridSampler(LumaGrid reference, LumaGrid suspect, CropBox box) {
    const std::size_t cells = suspect.size();
    widthCells_ = suspect.widthCells;
    taps_.resize(cells * kTaps);
    valid_.assign(cells, 0);
    coverage_.assign(cells, 0);
    u_.resize(cells);
    v_.resize(cells);
    const double cellW = (box.x1 - box.x0) / suspect.widthCells;
    const double cellH = (box.y1 - box.y0) / suspect.heightCells;
    for (int cy = 0; cy < suspect.heightCells; ++cy) {
        for (int cx = 0; cx < suspect.widthCells; ++cx) {
            const std::size_t cell = static_cast<std::size_t>(cy * suspect.widthCells + cx);
            const double uc = box.x0 + (cx + 0.5) * cellW;
            const double vc = box.y0 + (cy + 0.5) * cellH;
            u_[cell] = uc;
            v_[cell] = vc;
            int inside = 0;
            for (int t = 0; t < kTaps; ++t) {
                const double u = uc + ((t % 3) - 1) * cellW / 3;
                const double v = vc + ((t / 3) - 1) * cellH / 3;
                Tap& tap = taps_[cell * kTaps + static_cast<std::size_t>(t)];
                const bool in = u >= 0 && u <= 1 && v >= 0 && v <= 1;
                inside += in ? 1 : 0;
                const double gx =
                    std::clamp(u * reference.widthCells - 0.5, 0.0, reference.widthCells - 1.0);
                const double gy =
                    std::clamp(v * reference.heightCells - 0.5, 0.0, reference.heightCells - 1.0);
                const int x0 = std::min(static_cast<int>(gx), reference.widthCells - 2);
                const int y0 = std::min(static_cast<int>(gy), reference.heightCells - 2);
                const float fx = static_cast<float>(gx - x0);
                const float fy = static_cast<float>(gy - y0);
                const auto base = static_cast<std::uint32_t>(y0 * reference.widthCells + x0);
                const auto stride = static_cast<std::uint32_t>(reference.widthCells);
                tap.index[0] = base;
                tap.index[1] = base + 1;
                tap.index[2] = base + stride;
                tap.index[3] = base + stride + 1;
                const float w = in ? 1.0f : 0.0f;
                tap.weight[0] = (1 - fx) * (1 - fy) * w;
                tap.weight[1] = fx * (1 - fy) * w;
                tap.weight[2] = (1 - fx) * fy * w;
                tap.weight[3] = fx * fy * w;
            }
            coverage_[cell] = static_cast<float>(inside) / kTaps;
            if (inside > 0) {
                for (int t = 0; t < kTaps; ++t) {
                    for (float& w : taps_[cell * kTaps + static_cast<std::size_t>(t)].weight) {
                        w /= static_cast<float>(inside);
                    }
                }
            }
            valid_[cell] = inside == kTaps ? 1 : 0;
            validCount_ += inside == kTaps ? 1 : 0;
        }
    }
}

void GridSampler::sample(const std::vector<float>& reference, std::vector<float>& out) const {
    const std::size_t cells = valid_.size();
    out.resize(cells);
    for (std::size_t cell = 0; cell < cells; ++cell) {
        float sum = 0;
        for (std::size_t t = 0; t < kTaps; ++t) {
            const Tap& tap = taps_[cell * kTaps + t];
            for (int k = 0; k < 4; ++k) {
                sum += tap.weight[k] * reference[tap.index[k]];
            }
        }
        out[cell] = sum;
    }
}

Fingerprint fingerprintInBox(const std::vector<float>& cells, LumaGrid grid, CropBox box) {
    Fingerprint f{};
    std::array<int, 16> counts{};
    for (int cy = 0; cy < grid.heightCells; ++cy) {
        const double v = box.y0 + (cy + 0.5) / grid.heightCells * (box.y1 - box.y0);
        for (int cx = 0; cx < grid.widthCells; ++cx) {
            const double u = box.x0 + (cx + 0.5) / grid.widthCells * (box.x1 - box.x0);
            if (u < 0 || u >= 1 || v < 0 || v >= 1) {
                continue;
            }
            const auto index =
                static_cast<std::size_t>(static_cast<int>(v * 4) * 4 + static_cast<int>(u * 4));
            f[index] += cells[static_cast<std::size_t>(cy * grid.widthCells + cx)];
            ++counts[index];
        }
    }
    return finishFingerprint(f, counts);
}

CropBox estimateCrop(const std::vector<CropSample>& samples, LumaGrid reference, LumaGrid suspect) {
    std::vector<float> sampled;
    auto cost = [&](const CropBox& box) {
        const GridSampler sampler(reference, suspect, box);
        if (sampler.validCount() < suspect.size() / 3) {
            return std::numeric_limits<double>::infinity();
        }
        double total = 0;
        for (const CropSample& s : samples) {
            sampler.sample(*s.reference, sampled);
            total += contentMismatch(*s.suspect, sampled, sampler.coverage(), suspect.widthCells);
        }
        return total;
    };
    // Centre and size of the package picture inside the copy: a coarse scan of uniform scales
    // (a player window or added borders), then a descent over centre and both sizes.
    auto boxOf = [](const std::array<double, 4>& p) {
        return CropBox{p[0] - p[2] / 2, p[1] - p[3] / 2, p[0] + p[2] / 2, p[1] + p[3] / 2};
    };
    std::array<double, 4> params{0.5, 0.5, 1.0, 1.0};
    double bestCost = cost(boxOf(params));
    for (double size = kMinCropSize; size <= kMaxCropSize + 1e-9; size += 0.02) {
        const std::array<double, 4> trial{0.5, 0.5, size, size};
        const double c = cost(boxOf(trial));
        if (c < bestCost) {
            bestCost = c;
            params = trial;
        }
    }
    for (double step : {0.02, 0.01, 0.005, 0.0025, 0.00125}) {
        bool improved = true;
        while (improved) {
            improved = false;
            for (std::size_t param = 0; param < 4; ++param) {
                for (double sign : {-1.0, 1.0}) {
                    std::array<double, 4> trial = params;
                    trial[param] += sign * step;
                    if (trial[2] < kMinCropSize || trial[3] < kMinCropSize ||
                        trial[2] > kMaxCropSize || trial[3] > kMaxCropSize ||
                        std::abs(trial[0] - 0.5) > 0.3 || std::abs(trial[1] - 0.5) > 0.3) {
                        continue;
                    }
                    const double c = cost(boxOf(trial));
                    if (c < bestCost - 1e-9) {
                        bestCost = c;
                        params = trial;
                        improved = true;
                    }
                }
            }
        }
    }
    const CropBox box = boxOf(params);
    return box;
}

} // namespace reelgate::media
