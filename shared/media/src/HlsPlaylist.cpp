#include "HlsPlaylist.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace reelgate::media {
namespace {

std::string fixed3(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

} // namespace

std::string mediaPlaylist(const std::vector<double>& segmentSeconds, const std::string& uriPrefix,
                          const std::string& keyUri) {
    double longest = 1;
    for (double s : segmentSeconds) {
        longest = std::max(longest, s);
    }
    std::string text = "#EXTM3U\n#EXT-X-VERSION:3\n";
    text +=
        "#EXT-X-TARGETDURATION:" + std::to_string(std::lround(std::ceil(longest - 1e-3))) + "\n";
    text += "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n";
    if (!keyUri.empty()) {
        text += "#EXT-X-KEY:METHOD=AES-128,URI=\"" + keyUri + "\"\n";
    }
    for (std::size_t n = 0; n < segmentSeconds.size(); ++n) {
        text += "#EXTINF:" + fixed3(segmentSeconds[n]) + ",\n";
        text += uriPrefix + std::to_string(n) + ".ts\n";
    }
    text += "#EXT-X-ENDLIST\n";
    return text;
}

std::string masterPlaylist(const std::vector<ManifestRendition>& renditions, double frameRate,
                           bool useB) {
    std::string text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n";
    for (const ManifestRendition& r : renditions) {
        text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(r.bandwidth) +
                ",AVERAGE-BANDWIDTH=" + std::to_string(r.averageBandwidth) +
                ",RESOLUTION=" + std::to_string(r.widthPx) + "x" + std::to_string(r.heightPx) +
                ",CODECS=\"" + r.codecs + "\",FRAME-RATE=" + fixed3(frameRate) + "\n";
        text += (useB ? r.playlistB : r.playlistA) + "\n";
    }
    return text;
}

} // namespace reelgate::media
