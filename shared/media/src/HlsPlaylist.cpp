#include "HlsPlaylist.h"

#include "reelgate/core/M3u8.h"

#include <algorithm>
#include <cmath>

namespace reelgate::media {

std::string mediaPlaylist(const std::vector<double>& segmentSeconds, const std::string& uriPrefix,
                          const std::string& keyUri) {
    core::M3u8MediaPlaylist playlist;
    double longest = 1;
    for (double s : segmentSeconds) {
        longest = std::max(longest, s);
    }
    playlist.targetDurationS = std::lround(std::ceil(longest - 1e-3));
    playlist.vod = true;
    playlist.endList = true;
    playlist.independentSegments = true;
    if (!keyUri.empty()) {
        playlist.key = core::M3u8Key{keyUri};
    }
    for (std::size_t n = 0; n < segmentSeconds.size(); ++n) {
        // Millisecond precision, as the playlist has always been written.
        const std::int64_t ms = std::llround(segmentSeconds[n] * 1000);
        playlist.segments.push_back({ms * 1000, uriPrefix + std::to_string(n) + ".ts"});
    }
    return core::writeMediaPlaylist(playlist);
}

std::string masterPlaylist(const std::vector<ManifestRendition>& renditions, double frameRate,
                           bool useB) {
    core::M3u8MasterPlaylist master;
    master.independentSegments = true;
    for (const ManifestRendition& r : renditions) {
        core::M3u8Variant variant;
        variant.bandwidth = r.bandwidth;
        variant.averageBandwidth = r.averageBandwidth;
        variant.resolution = std::to_string(r.widthPx) + "x" + std::to_string(r.heightPx);
        variant.codecs = r.codecs;
        variant.frameRateMilli = std::llround(frameRate * 1000);
        variant.uri = useB ? r.playlistB : r.playlistA;
        master.variants.push_back(variant);
    }
    return core::writeMasterPlaylist(master);
}

} // namespace reelgate::media
