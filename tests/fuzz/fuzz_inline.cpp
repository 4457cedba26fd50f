// libFuzzer target: the bytes the event loop parses itself, before any worker or httplib sees
// them. The input is what a client sent on a connection: RequestHead finds where the head ends
// (or refuses it with 400/431); a complete head goes through the inline parser, and a request
// it takes must be what its contract says (GET, an origin-form path of printable ASCII without
// query, fragment, escape or space, header names and values without CR or LF). The path
// (and the input itself when it looks like one) goes through parsePlayTarget, which must
// accept exactly the paths the worker routes' regexes match, and read the same token,
// rendition and segment number from them.
#include "http/InlineRequest.h"
#include "http/RequestHead.h"
#include "playback/PlayTarget.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>
#include <string_view>

using namespace reelgate::server;

namespace {

void require(bool condition) {
    if (!condition)
        std::abort();
}

// parsePlayTarget against the route patterns, on paths short enough for std::regex.
void checkPlayTarget(std::string_view path) {
    if (path.size() > 256)
        return;
    static const auto patterns = [] {
        std::array<std::regex, 4> compiled;
        const auto sources = playback::playRoutePatterns();
        for (std::size_t i = 0; i < sources.size(); ++i)
            compiled[i] = std::regex(sources[i]);
        return compiled;
    }();
    const std::string text(path);
    const auto target = playback::parsePlayTarget(path);
    std::smatch match;
    std::size_t matched = patterns.size();
    for (std::size_t i = 0; i < patterns.size(); ++i)
        if (std::regex_match(text, match, patterns[i])) {
            matched = i;
            break;
        }
    require(target.has_value() == (matched < patterns.size()));
    if (!target)
        return;
    using Kind = playback::PlayTarget::Kind;
    const Kind kinds[] = {Kind::Master, Kind::Media, Kind::Segment, Kind::Key};
    require(target->kind == kinds[matched]);
    require(target->token == match[1].str());
    if (target->kind == Kind::Media || target->kind == Kind::Segment)
        require(target->rendition == match[2].str());
    if (target->kind == Kind::Segment)
        require(target->n == std::stoll(match[3].str()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (input.substr(0, 6) == "/play/")
        checkPlayTarget(input);

    const http::RequestHead head = http::scanRequestHead(input, http::HeadLimits{});
    if (head.state == http::RequestHead::State::Invalid)
        require(head.status == 400 || head.status == 431);
    if (head.state != http::RequestHead::State::Complete)
        return 0;
    require(head.headBytes >= 4 && head.headBytes <= input.size());
    require(input.substr(head.headBytes - 4, 4) == "\r\n\r\n");

    httplib::Request req;
    if (!http::parseInlineRequest(input.substr(0, head.headBytes), req))
        return 0;
    require(req.method == "GET" && req.version == "HTTP/1.1");
    require(!req.path.empty() && req.path.front() == '/' && req.path == req.target);
    for (const char c : req.path)
        require(c > 0x20 && c < 0x7f && c != '%' && c != '?' && c != '#');
    for (const auto& [name, value] : req.headers) {
        require(!value.empty());
        require(name.find_first_of("\r\n") == std::string::npos);
        require(value.find_first_of("\r\n") == std::string::npos);
    }
    checkPlayTarget(req.path);
    return 0;
}
