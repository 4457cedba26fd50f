#include "playback/PlayTarget.h"

#include <algorithm>

namespace reelgate::server::playback {
namespace {

bool isIdChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool allOf(std::string_view text, bool (*test)(char)) {
    return std::all_of(text.begin(), text.end(), test);
}

} // namespace

std::optional<PlayTarget> parsePlayTarget(std::string_view path) {
    constexpr std::string_view kPrefix = "/play/";
    constexpr std::size_t kTokenChars = 32;
    if (path.substr(0, kPrefix.size()) != kPrefix)
        return std::nullopt;
    path.remove_prefix(kPrefix.size());
    if (path.size() <= kTokenChars || path[kTokenChars] != '/' ||
        !allOf(path.substr(0, kTokenChars), isIdChar))
        return std::nullopt;
    PlayTarget target;
    target.token = std::string(path.substr(0, kTokenChars));
    path.remove_prefix(kTokenChars + 1);
    if (path == "master.m3u8" || path == "key") {
        target.kind = path == "key" ? PlayTarget::Kind::Key : PlayTarget::Kind::Master;
        return target;
    }
    const std::size_t slash = path.find('/');
    if (slash == 0 || slash > 32 || slash == std::string_view::npos ||
        !allOf(path.substr(0, slash), isIdChar))
        return std::nullopt;
    target.rendition = std::string(path.substr(0, slash));
    path.remove_prefix(slash + 1);
    if (path == "index.m3u8") {
        target.kind = PlayTarget::Kind::Media;
        return target;
    }
    constexpr std::string_view kSuffix = ".ts";
    const std::size_t digits = path.size() - std::min(path.size(), kSuffix.size());
    if (digits == 0 || digits > 7 || path.substr(digits) != kSuffix ||
        !allOf(path.substr(0, digits), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    target.kind = PlayTarget::Kind::Segment;
    for (const char c : path.substr(0, digits))
        target.n = target.n * 10 + (c - '0');
    return target;
}

std::array<std::string, 4> playRoutePatterns() {
    const std::string session = "/play/([A-Za-z0-9_-]{32})";
    const std::string rendition = "/([A-Za-z0-9_-]{1,32})";
    return {session + R"(/master\.m3u8)", session + rendition + R"(/index\.m3u8)",
            session + rendition + R"(/(\d{1,7})\.ts)", session + "/key"};
}

} // namespace reelgate::server::playback
