#pragma once
// Reading HLS playlists (RFC 8216) far enough to validate a package: media playlists (segment
// durations and URIs, target duration, end list) and master playlists (variant streams).
// Pure functions; thread-safe. Malformed input throws InvalidInput naming the line.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::core {

struct M3u8Segment {
    std::int64_t durationUs = 0;
    std::string uri;
};

struct M3u8MediaPlaylist {
    int version = 0;
    std::int64_t targetDurationS = 0;
    bool vod = false;     // #EXT-X-PLAYLIST-TYPE:VOD
    bool endList = false; // #EXT-X-ENDLIST
    bool encrypted = false;
    std::vector<M3u8Segment> segments;
};

struct M3u8Variant {
    std::int64_t bandwidth = 0;
    std::string resolution; // "1280x720" or empty
    std::string codecs;
    std::string uri;
};

struct M3u8MasterPlaylist {
    std::vector<M3u8Variant> variants;
};

M3u8MediaPlaylist parseMediaPlaylist(std::string_view text);
M3u8MasterPlaylist parseMasterPlaylist(std::string_view text);

} // namespace reelgate::core
