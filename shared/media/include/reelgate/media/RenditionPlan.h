#pragma once
// planRenditions: which renditions a source gets from a ladder, at which exact sizes.
// Rules: a rung is kept only when its short side does not exceed the source's (never upscale);
// the long side follows the display aspect ratio, rounded to the nearest even number (a 1280x720
// source gives 854x480, never 853); a source smaller than every rung gets one rendition at its
// own size rounded down to even. Portrait sources get portrait renditions.
// Pure function; thread: any.

#include "reelgate/media/LadderPreset.h"

#include <string>
#include <vector>

namespace reelgate::media {

struct RenditionSpec {
    std::string name; // from the rung, e.g. "480p"; folder name in the package
    int widthPx = 0;  // even
    int heightPx = 0; // even
    int videoKbps = 0;
    int maxrateKbps = 0;
    int bufsizeKbps = 0;
};

std::vector<RenditionSpec> planRenditions(int displayWidthPx, int displayHeightPx,
                                          const std::vector<RungSpec>& rungs);

} // namespace reelgate::media
