#pragma once
// Internal: the HLS text of a package, written through the one model in reelgate/core/M3u8.h
// (RFC 8216, version 3: decimal EXTINF with 3 decimals).
// Thread: any; pure functions.

#include "reelgate/media/PackageManifest.h"

#include <string>
#include <vector>

namespace reelgate::media {

// A VOD media playlist over segmentSeconds; segment n's URI is uriPrefix + n + ".ts".
// keyUri non-empty adds #EXT-X-KEY:METHOD=AES-128 (IV = media sequence, the HLS default).
std::string mediaPlaylist(const std::vector<double>& segmentSeconds, const std::string& uriPrefix,
                          const std::string& keyUri);
// The master playlist over the renditions' A playlists (or B ones with useB).
std::string masterPlaylist(const std::vector<ManifestRendition>& renditions, double frameRate,
                           bool useB);

} // namespace reelgate::media
