#include "http/RequestHead.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace reelgate::server::http {
namespace {

RequestHead invalid(int status, std::string code, std::string message) {
    RequestHead head;
    head.state = RequestHead::State::Invalid;
    head.status = status;
    head.code = std::move(code);
    head.message = std::move(message);
    return head;
}

RequestHead badFraming(std::string message) {
    return invalid(400, "bad_request", std::move(message));
}

bool isTokenChar(char c) {
    if (std::isalnum(static_cast<unsigned char>(c)))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

RequestHead scanRequestHead(std::string_view buffered, const HeadLimits& limits) {
    const std::size_t end = buffered.find("\r\n\r\n");
    if (end == std::string_view::npos || end + 4 > limits.maxHeadBytes) {
        // A bare LF anywhere before the head is complete can never become valid: refuse it now
        // instead of waiting for the deadline.
        const std::string_view seen = buffered.substr(0, std::min(buffered.size(), end));
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (seen[i] == '\n' && (i == 0 || seen[i - 1] != '\r'))
                return badFraming("Every line of the request head must end with CRLF.");
        if (buffered.size() >= limits.maxHeadBytes)
            return invalid(431, "headers_too_large",
                           "The request head is larger than " +
                               std::to_string(limits.maxHeadBytes / 1024) + " KiB.");
        return {};
    }
    const std::string_view head = buffered.substr(0, end + 2); // every line with its CRLF

    RequestHead result;
    result.headBytes = end + 4;
    bool haveLength = false;
    bool haveEncoding = false;
    std::size_t headers = 0;
    std::size_t pos = 0;
    for (bool requestLine = true; pos < head.size(); requestLine = false) {
        const std::size_t eol = head.find("\r\n", pos);
        const std::string_view line = head.substr(pos, eol - pos);
        pos = eol + 2;
        if (line.find_first_of("\r\n") != std::string_view::npos)
            return badFraming("Every line of the request head must end with CRLF.");
        if (requestLine) {
            if (line.empty())
                return badFraming("The request line is missing.");
            continue;
        }
        if (++headers > limits.maxHeaders)
            return invalid(431, "too_many_headers",
                           "A request may carry at most " + std::to_string(limits.maxHeaders) +
                               " headers.");
        if (line.front() == ' ' || line.front() == '\t')
            return badFraming("Folded header lines are not accepted.");
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 ||
            !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                         isTokenChar))
            return badFraming("A header line is not 'Name: value'.");
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (equalsIgnoreCase(name, "Content-Length")) {
            if (haveLength)
                return badFraming("Content-Length is given more than once.");
            haveLength = true;
            const auto parsed =
                std::from_chars(value.data(), value.data() + value.size(), result.contentLength);
            if (value.empty() || value.size() > 19 || parsed.ec != std::errc() ||
                parsed.ptr != value.data() + value.size())
                return badFraming("Content-Length is not a number of bytes.");
        } else if (equalsIgnoreCase(name, "Transfer-Encoding")) {
            if (haveEncoding || !equalsIgnoreCase(value, "chunked"))
                return badFraming("Transfer-Encoding must be exactly 'chunked'.");
            haveEncoding = true;
            result.chunked = true;
        }
    }
    if (haveLength && haveEncoding)
        return badFraming("Content-Length and Transfer-Encoding exclude each other.");
    result.state = RequestHead::State::Complete;
    return result;
}

} // namespace reelgate::server::http
