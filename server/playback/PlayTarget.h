#pragma once
// What a /play request asks for, read from its path by hand, without a regex (the event loop
// tries every plain GET it is given). The worker routes register playRoutePatterns(); a path
// matches one of them exactly when parsePlayTarget() accepts it (tests/fuzz/fuzz_inline.cpp
// checks that both agree). Pure functions; thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reelgate::server::playback {

struct PlayTarget {
    enum class Kind { Master, Media, Segment, Key };
    Kind kind = Kind::Master;
    std::string token;
    std::string rendition; // Media, Segment
    std::int64_t n = 0;    // Segment
};

std::optional<PlayTarget> parsePlayTarget(std::string_view path);
// The routes' regexes: master playlist, media playlist, segment, key (group 1 is the token).
std::array<std::string, 4> playRoutePatterns();

} // namespace reelgate::server::playback
