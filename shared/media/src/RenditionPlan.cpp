#include "reelgate/media/RenditionPlan.h"

#include "reelgate/media/MediaError.h"

#include <algorithm>
#include <cmath>

namespace reelgate::media {
namespace {

int evenRound(double value) {
    return std::max(2, static_cast<int>(std::lround(value / 2.0)) * 2);
}
int evenFloor(int value) {
    return std::max(2, value / 2 * 2);
}

} // namespace

std::vector<RenditionSpec> planRenditions(int displayWidthPx, int displayHeightPx,
                                          const std::vector<RungSpec>& rungs) {
    if (displayWidthPx < 2 || displayHeightPx < 2) {
        throw MediaError("video size " + std::to_string(displayWidthPx) + "x" +
                         std::to_string(displayHeightPx) + " is too small to transcode");
    }
    const bool portrait = displayHeightPx > displayWidthPx;
    const int sourceShort = std::min(displayWidthPx, displayHeightPx);
    const double longPerShort = static_cast<double>(std::max(displayWidthPx, displayHeightPx)) /
                                static_cast<double>(sourceShort);
    std::vector<RungSpec> sorted = rungs;
    std::sort(sorted.begin(), sorted.end(),
              [](const RungSpec& a, const RungSpec& b) { return a.shortSidePx < b.shortSidePx; });
    std::vector<RenditionSpec> plan;
    auto add = [&](const RungSpec& r, int shortSide, const std::string& name) {
        const int evenShort = evenFloor(shortSide);
        const int evenLong = evenRound(evenShort * longPerShort);
        RenditionSpec spec{name,
                           portrait ? evenShort : evenLong,
                           portrait ? evenLong : evenShort,
                           r.videoKbps,
                           r.maxrateKbps,
                           r.bufsizeKbps};
        plan.push_back(spec);
    };
    for (const RungSpec& r : sorted) {
        if (r.shortSidePx <= sourceShort) {
            add(r, r.shortSidePx, r.name);
        }
    }
    if (plan.empty() && !sorted.empty()) {
        add(sorted.front(), sourceShort, std::to_string(evenFloor(sourceShort)) + "p");
    }
    return plan;
}

} // namespace reelgate::media
