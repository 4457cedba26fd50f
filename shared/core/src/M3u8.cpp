#include "reelgate/core/M3u8.h"

#include "reelgate/core/InvalidInput.h"
#include "reelgate/core/Text.h"

#include <charconv>
#include <map>

namespace reelgate::core {
namespace {

constexpr std::int64_t kMaxDurationS = 86400;
constexpr std::size_t kMaxLineChars = 4096;

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

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::string quoted(std::string_view text) {
    return "'" + printable(text, 80) + "'";
}

std::int64_t integer(std::string_view text, std::size_t lineIndex) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || text[0] == '-' || text[0] == '+' || ec != std::errc() ||
        ptr != text.data() + text.size())
        throw bad(lineIndex, quoted(text) + " is not a whole number");
    return value;
}

// "4.000" -> 4000000 with scale 1000000; no floating point; at most `digits` decimals.
std::int64_t decimal(std::string_view text, std::size_t lineIndex, int digits,
                     std::int64_t maxWhole) {
    const auto dot = text.find('.');
    const std::int64_t whole = integer(text.substr(0, dot), lineIndex);
    if (whole > maxWhole)
        throw bad(lineIndex, quoted(text) + " is too large");
    std::int64_t scale = 1;
    for (int i = 0; i < digits; ++i)
        scale *= 10;
    std::int64_t fraction = 0;
    if (dot != std::string_view::npos) {
        const std::string_view decimals = text.substr(dot + 1);
        if (decimals.empty() || decimals.size() > static_cast<std::size_t>(digits))
            throw bad(lineIndex, quoted(text) + " has too many or no decimals");
        fraction = integer(decimals, lineIndex);
        for (std::size_t i = decimals.size(); i < static_cast<std::size_t>(digits); ++i)
            fraction *= 10;
    }
    if (whole * scale + fraction > maxWhole * scale)
        throw bad(lineIndex, quoted(text) + " is too large");
    return whole * scale + fraction;
}

struct Attribute {
    std::string value;
    bool quoted = false;
};

// NAME=value or NAME="value", comma-separated; names [A-Z0-9-]; no duplicates.
std::map<std::string, Attribute> attributes(std::string_view list, std::size_t lineIndex) {
    std::map<std::string, Attribute> out;
    std::size_t pos = 0;
    while (pos < list.size()) {
        const auto eq = list.find('=', pos);
        if (eq == std::string_view::npos || eq == pos)
            throw bad(lineIndex, "malformed attribute list");
        const std::string name(list.substr(pos, eq - pos));
        for (const char c : name)
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                throw bad(lineIndex, "malformed attribute name " + quoted(name));
        Attribute attribute;
        std::size_t next;
        if (eq + 1 < list.size() && list[eq + 1] == '"') {
            const auto close = list.find('"', eq + 2);
            if (close == std::string_view::npos)
                throw bad(lineIndex, "unterminated quoted attribute " + quoted(name));
            attribute.value = std::string(list.substr(eq + 2, close - eq - 2));
            attribute.quoted = true;
            next = close + 1;
            if (next < list.size() && list[next] != ',')
                throw bad(lineIndex, "malformed attribute list");
        } else {
            next = list.find(',', eq + 1);
            if (next == std::string_view::npos)
                next = list.size();
            attribute.value = std::string(list.substr(eq + 1, next - eq - 1));
            if (attribute.value.empty())
                throw bad(lineIndex, "attribute " + quoted(name) + " has no value");
        }
        if (!out.emplace(name, std::move(attribute)).second)
            throw bad(lineIndex, "attribute " + quoted(name) + " appears twice");
        pos = next + 1;
        if (next + 1 == list.size())
            throw bad(lineIndex, "malformed attribute list");
    }
    return out;
}

void onlyKnown(const std::map<std::string, Attribute>& attrs,
               std::initializer_list<std::string_view> known, std::size_t lineIndex) {
    for (const auto& [name, value] : attrs) {
        bool ok = false;
        for (const auto k : known)
            ok = ok || name == k;
        if (!ok)
            throw bad(lineIndex, "attribute " + quoted(name) + " is not allowed");
    }
}

// Splits and checks the text: "#EXTM3U" first, every line UTF-8 without control characters.
std::vector<std::string_view> checkedLines(std::string_view text) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U")
        throw InvalidInput("playlist does not start with #EXTM3U");
    for (std::size_t i = 0; i < all.size(); ++i) {
        const TextProblem problem = checkText(all[i], {kMaxLineChars, true, false});
        if (problem != TextProblem::None)
            throw bad(i, describe(problem, {kMaxLineChars, true, false}));
    }
    return all;
}

std::string tagName(std::string_view line) {
    return std::string(line.substr(0, line.find(':')));
}

void checkUri(std::string_view uri, std::size_t lineIndex) {
    if (uri.empty() || uri.front() == ' ' || uri.back() == ' ' ||
        uri.find('"') != std::string_view::npos)
        throw bad(lineIndex, "malformed URI " + quoted(uri));
}

enum class Field { LineUri, QuotedUri, Attribute };

// Writing: refuses what would not read back as the same value. A URI is never empty nor padded
// with spaces; a URI on a line of its own must not look like a tag either.
void writable(const std::string& value, const char* what, Field field) {
    const bool uri = field != Field::Attribute;
    if ((uri && (value.empty() || value.front() == ' ' || value.back() == ' ')) ||
        value.find_first_of("\"\r\n") != std::string::npos ||
        (field == Field::LineUri && value.front() == '#') ||
        checkText(value, {kMaxLineChars, true, false}) != TextProblem::None)
        throw InvalidInput(std::string("cannot write ") + what + " " + quoted(value));
}

std::string fixed(std::int64_t value, std::int64_t scale, int digits) {
    std::string fraction = std::to_string(value % scale);
    fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
    return std::to_string(value / scale) + "." + fraction;
}

} // namespace

M3u8MediaPlaylist parseMediaPlaylist(std::string_view text) {
    const auto all = checkedLines(text);
    M3u8MediaPlaylist playlist;
    playlist.version = 0;
    std::int64_t pendingUs = -1;
    bool keySeen = false;
    for (std::size_t i = 1; i < all.size(); ++i) {
        const std::string_view line = all[i];
        if (line.empty())
            continue;
        if (playlist.endList)
            throw bad(i, "content after #EXT-X-ENDLIST");
        if (line[0] == '#' && !startsWith(line, "#EXT"))
            continue; // a comment
        if (startsWith(line, "#EXTINF:")) {
            if (pendingUs >= 0)
                throw bad(i, "two #EXTINF without a segment between them");
            const std::string_view value = line.substr(8);
            pendingUs = decimal(value.substr(0, value.find(',')), i, 6, kMaxDurationS);
        } else if (startsWith(line, "#EXT-X-TARGETDURATION:") && playlist.targetDurationS == 0) {
            playlist.targetDurationS = integer(line.substr(22), i);
            if (playlist.targetDurationS > kMaxDurationS)
                throw bad(i, "#EXT-X-TARGETDURATION is too large");
        } else if (startsWith(line, "#EXT-X-VERSION:") && playlist.version == 0) {
            const std::int64_t version = integer(line.substr(15), i);
            if (version < 1 || version > 7)
                throw bad(i, "unsupported #EXT-X-VERSION");
            playlist.version = static_cast<int>(version);
        } else if (startsWith(line, "#EXT-X-MEDIA-SEQUENCE:") && playlist.segments.empty()) {
            playlist.mediaSequence = integer(line.substr(22), i);
        } else if (line == "#EXT-X-PLAYLIST-TYPE:VOD") {
            playlist.vod = true;
        } else if (line == "#EXT-X-INDEPENDENT-SEGMENTS") {
            playlist.independentSegments = true;
        } else if (line == "#EXT-X-ENDLIST") {
            if (pendingUs >= 0)
                throw bad(i, "#EXT-X-ENDLIST after an #EXTINF without its segment");
            playlist.endList = true;
        } else if (startsWith(line, "#EXT-X-KEY:")) {
            if (keySeen || !playlist.segments.empty() || pendingUs >= 0)
                throw bad(i, "only one #EXT-X-KEY, before the first segment, is allowed");
            keySeen = true;
            const auto attrs = attributes(line.substr(11), i);
            onlyKnown(attrs, {"METHOD", "URI"}, i);
            const auto method = attrs.find("METHOD");
            const auto uri = attrs.find("URI");
            if (method == attrs.end())
                throw bad(i, "#EXT-X-KEY without METHOD");
            if (method->second.value == "NONE") {
                if (uri != attrs.end())
                    throw bad(i, "#EXT-X-KEY:METHOD=NONE with a URI");
            } else if (method->second.value == "AES-128") {
                if (uri == attrs.end() || !uri->second.quoted)
                    throw bad(i, "#EXT-X-KEY without a quoted URI");
                checkUri(uri->second.value, i);
                playlist.key = M3u8Key{uri->second.value};
            } else {
                throw bad(i, "#EXT-X-KEY METHOD " + quoted(method->second.value) +
                                 " is not supported (AES-128 or NONE)");
            }
        } else if (line[0] == '#') {
            throw bad(i, "tag " + quoted(tagName(line)) + " is not allowed here");
        } else {
            if (pendingUs < 0)
                throw bad(i, "segment " + quoted(line) + " has no #EXTINF before it");
            checkUri(line, i);
            playlist.segments.push_back({pendingUs, std::string(line)});
            pendingUs = -1;
        }
    }
    if (playlist.version == 0)
        playlist.version = 1;
    if (playlist.targetDurationS <= 0)
        throw InvalidInput("playlist has no #EXT-X-TARGETDURATION");
    if (pendingUs >= 0)
        throw InvalidInput("playlist ends with an #EXTINF without its segment");
    return playlist;
}

M3u8MasterPlaylist parseMasterPlaylist(std::string_view text) {
    const auto all = checkedLines(text);
    M3u8MasterPlaylist master;
    master.version = 0;
    bool pending = false;
    M3u8Variant variant;
    for (std::size_t i = 1; i < all.size(); ++i) {
        const std::string_view line = all[i];
        if (line.empty() || (line[0] == '#' && !startsWith(line, "#EXT")))
            continue;
        if (startsWith(line, "#EXT-X-STREAM-INF:")) {
            if (pending)
                throw bad(i, "two #EXT-X-STREAM-INF without a URI between them");
            const auto attrs = attributes(line.substr(18), i);
            onlyKnown(attrs,
                      {"BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "CODECS", "FRAME-RATE"}, i);
            variant = {};
            const auto get = [&](const char* name) {
                const auto it = attrs.find(name);
                return it == attrs.end() ? std::string() : it->second.value;
            };
            if (get("BANDWIDTH").empty())
                throw bad(i, "#EXT-X-STREAM-INF without BANDWIDTH");
            variant.bandwidth = integer(get("BANDWIDTH"), i);
            if (const std::string average = get("AVERAGE-BANDWIDTH"); !average.empty())
                variant.averageBandwidth = integer(average, i);
            variant.resolution = get("RESOLUTION");
            if (!variant.resolution.empty()) {
                const auto x = variant.resolution.find('x');
                if (x == std::string::npos)
                    throw bad(i, "RESOLUTION is not <width>x<height>");
                const std::string_view resolution = variant.resolution;
                if (integer(resolution.substr(0, x), i) <= 0 ||
                    integer(resolution.substr(x + 1), i) <= 0)
                    throw bad(i, "RESOLUTION is not <width>x<height>");
            }
            if (const auto codecs = attrs.find("CODECS"); codecs != attrs.end()) {
                if (!codecs->second.quoted || codecs->second.value.empty())
                    throw bad(i, "CODECS must be a quoted list");
                variant.codecs = codecs->second.value;
            }
            if (const std::string rate = get("FRAME-RATE"); !rate.empty())
                variant.frameRateMilli = decimal(rate, i, 3, 1000);
            pending = true;
        } else if (startsWith(line, "#EXT-X-VERSION:") && master.version == 0) {
            const std::int64_t version = integer(line.substr(15), i);
            if (version < 1 || version > 7)
                throw bad(i, "unsupported #EXT-X-VERSION");
            master.version = static_cast<int>(version);
        } else if (line == "#EXT-X-INDEPENDENT-SEGMENTS") {
            master.independentSegments = true;
        } else if (line[0] == '#') {
            throw bad(i, "tag " + quoted(tagName(line)) + " is not allowed here");
        } else {
            if (!pending)
                throw bad(i, "URI " + quoted(line) + " without #EXT-X-STREAM-INF");
            checkUri(line, i);
            variant.uri = std::string(line);
            master.variants.push_back(variant);
            pending = false;
        }
    }
    if (master.version == 0)
        master.version = 1;
    if (pending)
        throw InvalidInput("master playlist ends with an #EXT-X-STREAM-INF without its URI");
    if (master.variants.empty())
        throw InvalidInput("master playlist lists no streams");
    return master;
}

std::string writeMediaPlaylist(const M3u8MediaPlaylist& playlist) {
    if (playlist.version < 1 || playlist.version > 7 || playlist.targetDurationS <= 0 ||
        playlist.mediaSequence < 0)
        throw InvalidInput("cannot write a playlist without version or target duration");
    std::string text = "#EXTM3U\n#EXT-X-VERSION:" + std::to_string(playlist.version) + "\n";
    text += "#EXT-X-TARGETDURATION:" + std::to_string(playlist.targetDurationS) + "\n";
    text += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(playlist.mediaSequence) + "\n";
    if (playlist.vod)
        text += "#EXT-X-PLAYLIST-TYPE:VOD\n";
    if (playlist.independentSegments)
        text += "#EXT-X-INDEPENDENT-SEGMENTS\n";
    if (playlist.key) {
        writable(playlist.key->uri, "key URI", Field::QuotedUri);
        text += "#EXT-X-KEY:METHOD=AES-128,URI=\"" + playlist.key->uri + "\"\n";
    }
    for (const M3u8Segment& segment : playlist.segments) {
        if (segment.durationUs < 0 || segment.durationUs > kMaxDurationS * 1000000)
            throw InvalidInput("cannot write a segment duration of " +
                               std::to_string(segment.durationUs) + " us");
        writable(segment.uri, "segment URI", Field::LineUri);
        text += "#EXTINF:" +
                (segment.durationUs % 1000 == 0 ? fixed(segment.durationUs / 1000, 1000, 3)
                                                : fixed(segment.durationUs, 1000000, 6)) +
                ",\n" + segment.uri + "\n";
    }
    if (playlist.endList)
        text += "#EXT-X-ENDLIST\n";
    return text;
}

std::string writeMasterPlaylist(const M3u8MasterPlaylist& master) {
    if (master.version < 1 || master.version > 7)
        throw InvalidInput("cannot write a master playlist without version");
    std::string text = "#EXTM3U\n#EXT-X-VERSION:" + std::to_string(master.version) + "\n";
    if (master.independentSegments)
        text += "#EXT-X-INDEPENDENT-SEGMENTS\n";
    for (const M3u8Variant& v : master.variants) {
        if (v.bandwidth < 0 || v.averageBandwidth < 0 || v.frameRateMilli < 0 ||
            v.frameRateMilli > 1001000)
            throw InvalidInput("cannot write a negative or huge stream attribute");
        writable(v.uri, "stream URI", Field::LineUri);
        writable(v.codecs, "CODECS", Field::Attribute);
        writable(v.resolution, "RESOLUTION", Field::Attribute);
        if (v.resolution.find(',') != std::string::npos)
            throw InvalidInput("cannot write RESOLUTION " + quoted(v.resolution));
        text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(v.bandwidth);
        if (v.averageBandwidth > 0)
            text += ",AVERAGE-BANDWIDTH=" + std::to_string(v.averageBandwidth);
        if (!v.resolution.empty())
            text += ",RESOLUTION=" + v.resolution;
        if (!v.codecs.empty())
            text += ",CODECS=\"" + v.codecs + "\"";
        if (v.frameRateMilli > 0)
            text += ",FRAME-RATE=" + fixed(v.frameRateMilli, 1000, 3);
        text += "\n" + v.uri + "\n";
    }
    return text;
}

} // namespace reelgate::core
