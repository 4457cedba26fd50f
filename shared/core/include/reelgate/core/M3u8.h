#pragma once
// The one model of the HLS playlists Reelgate writes (RFC 8216, version 3), read AND written
// here: the encoder writes packages with it, ingest validates them with it, and playback writes
// the per-session playlists from it (never copying package text). Parsing is strict: only the
// tags we write are accepted (EXT-X-MAP, EXT-X-MEDIA, EXT-X-SESSION-KEY, EXT-X-BYTERANGE and
// any other tag are refused), every line must be UTF-8 without control characters, EXT-X-KEY
// needs a URI unless METHOD=NONE. Malformed input throws InvalidInput naming the line; the
// message never carries raw input bytes. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reelgate::core {

struct M3u8Segment {
    std::int64_t durationUs = 0; // written with millisecond precision
    std::string uri;
};

struct M3u8Key {
    std::string uri; // METHOD=AES-128 always (IV: the media sequence number, HLS' default)
};

struct M3u8MediaPlaylist {
    int version = 3;
    std::int64_t targetDurationS = 0;
    std::int64_t mediaSequence = 0;
    bool vod = false;     // #EXT-X-PLAYLIST-TYPE:VOD
    bool endList = false; // #EXT-X-ENDLIST
    bool independentSegments = false;
    std::optional<M3u8Key> key; // one key for every segment (before the first one)
    std::vector<M3u8Segment> segments;

    bool encrypted() const { return key.has_value(); }
};

struct M3u8Variant {
    std::int64_t bandwidth = 0;
    std::int64_t averageBandwidth = 0; // 0: not written
    std::string resolution;            // "1280x720" or empty
    std::string codecs;                // empty: not written
    std::int64_t frameRateMilli = 0;   // 29970 = "29.970"; 0: not written
    std::string uri;
};

struct M3u8MasterPlaylist {
    int version = 3;
    bool independentSegments = false;
    std::vector<M3u8Variant> variants;
};

M3u8MediaPlaylist parseMediaPlaylist(std::string_view text);
M3u8MasterPlaylist parseMasterPlaylist(std::string_view text);

// The exact text; parse(write(p)) == p for every playlist the parser accepts (durations at
// millisecond precision). Throws InvalidInput for a value that cannot be written (a URI or
// CODECS with a quote, comma or line break; a negative number).
std::string writeMediaPlaylist(const M3u8MediaPlaylist& playlist);
std::string writeMasterPlaylist(const M3u8MasterPlaylist& master);

} // namespace reelgate::core
