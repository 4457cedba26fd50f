#include "reelgate/core/M3u8.h"

#include "reelgate/core/InvalidInput.h"

#include <charconv>

namespace reelgate::core {
namespace {

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.push_back(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return out;
}

InvalidInput bad(std::size_t lineIndex, const std::string& what) {
    return InvalidInput("playlist line " + std::to_string(lineIndex + 1) + ": " + what);
}

std::int64_t integer(std::string_view text, std::size_t lineIndex) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < 0)
        throw bad(lineIndex, "'" + std::string(text) + "' is not a whole number");
    return value;
}

// "4.000" -> 4000000 microseconds; no floating point.
std::int64_t durationUs(std::string_view text, std::size_t lineIndex) {
    const auto dot = text.find('.');
    const std::int64_t whole = integer(text.substr(0, dot), lineIndex);
    std::int64_t fraction = 0;
    if (dot != std::string_view::npos) {
        std::string_view digits = text.substr(dot + 1);
        if (digits.empty() || digits.size() > 6)
            throw bad(lineIndex, "bad duration '" + std::string(text) + "'");
        fraction = integer(digits, lineIndex);
        for (std::size_t i = digits.size(); i < 6; ++i)
            fraction *= 10;
    }
    if (whole > 86400)
        throw bad(lineIndex, "duration '" + std::string(text) + "' is too long");
    return whole * 1000000 + fraction;
}

std::string attribute(std::string_view list, std::string_view name) {
    // NAME=value or NAME="value", comma-separated (commas may appear inside quotes).
    std::size_t pos = 0;
    while (pos < list.size()) {
        const auto eq = list.find('=', pos);
        if (eq == std::string_view::npos)
            break;
        const std::string_view key = list.substr(pos, eq - pos);
        std::size_t valueEnd;
        std::string_view value;
        if (eq + 1 < list.size() && list[eq + 1] == '"') {
            valueEnd = list.find('"', eq + 2);
            if (valueEnd == std::string_view::npos)
                return {};
            value = list.substr(eq + 2, valueEnd - eq - 2);
            ++valueEnd;
        } else {
            valueEnd = list.find(',', eq + 1);
            if (valueEnd == std::string_view::npos)
                valueEnd = list.size();
            value = list.substr(eq + 1, valueEnd - eq - 1);
        }
        if (key == name)
            return std::string(value);
        pos = valueEnd + 1;
    }
    return {};
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

M3u8MediaPlaylist parseMediaPlaylist(std::string_view text) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U")
        throw InvalidInput("playlist does not start with #EXTM3U");
    M3u8MediaPlaylist playlist;
    std::int64_t pendingUs = -1;
    for (std::size_t i = 1; i < all.size(); ++i) {
        const std::string_view line = all[i];
        if (line.empty())
            continue;
        if (playlist.endList)
            throw bad(i, "content after #EXT-X-ENDLIST");
        if (startsWith(line, "#EXTINF:")) {
            const std::string_view value = line.substr(8);
            pendingUs = durationUs(value.substr(0, value.find(',')), i);
        } else if (startsWith(line, "#EXT-X-TARGETDURATION:")) {
            playlist.targetDurationS = integer(line.substr(22), i);
        } else if (startsWith(line, "#EXT-X-VERSION:")) {
            playlist.version = static_cast<int>(integer(line.substr(15), i));
        } else if (line == "#EXT-X-PLAYLIST-TYPE:VOD") {
            playlist.vod = true;
        } else if (line == "#EXT-X-ENDLIST") {
            playlist.endList = true;
        } else if (startsWith(line, "#EXT-X-KEY:")) {
            playlist.encrypted = attribute(line.substr(11), "METHOD") != "NONE";
        } else if (line[0] == '#') {
            continue; // other tags and comments
        } else {
            if (pendingUs < 0)
                throw bad(i, "segment '" + std::string(line) + "' has no #EXTINF before it");
            playlist.segments.push_back({pendingUs, std::string(line)});
            pendingUs = -1;
        }
    }
    if (playlist.targetDurationS <= 0)
        throw InvalidInput("playlist has no #EXT-X-TARGETDURATION");
    if (pendingUs >= 0)
        throw InvalidInput("playlist ends with an #EXTINF without its segment");
    return playlist;
}

M3u8MasterPlaylist parseMasterPlaylist(std::string_view text) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U")
        throw InvalidInput("master playlist does not start with #EXTM3U");
    M3u8MasterPlaylist master;
    bool pending = false;
    M3u8Variant variant;
    for (std::size_t i = 1; i < all.size(); ++i) {
        const std::string_view line = all[i];
        if (line.empty())
            continue;
        if (startsWith(line, "#EXT-X-STREAM-INF:")) {
            const std::string_view attrs = line.substr(18);
            variant = {};
            const std::string bandwidth = attribute(attrs, "BANDWIDTH");
            if (bandwidth.empty())
                throw bad(i, "#EXT-X-STREAM-INF without BANDWIDTH");
            variant.bandwidth = integer(bandwidth, i);
            variant.resolution = attribute(attrs, "RESOLUTION");
            variant.codecs = attribute(attrs, "CODECS");
            pending = true;
        } else if (line[0] == '#') {
            continue;
        } else {
            if (!pending)
                throw bad(i, "URI '" + std::string(line) + "' without #EXT-X-STREAM-INF");
            variant.uri = std::string(line);
            master.variants.push_back(variant);
            pending = false;
        }
    }
    if (master.variants.empty())
        throw InvalidInput("master playlist lists no streams");
    return master;
}

} // namespace reelgate::core
