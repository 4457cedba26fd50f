#include "http/InlineRequest.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace reelgate::server::http {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

bool parseInlineRequest(std::string_view head, httplib::Request& req) {
    for (const char c : head)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\r' && c != '\n' && c != '\t') ||
            static_cast<unsigned char>(c) > 0x7e || c == '%')
            return false;
    std::size_t eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    constexpr std::string_view kGet = "GET /";
    constexpr std::string_view kVersion = " HTTP/1.1";
    if (line.size() <= kGet.size() + kVersion.size() || line.substr(0, kGet.size()) != kGet ||
        line.substr(line.size() - kVersion.size()) != kVersion)
        return false;
    const std::string_view target = line.substr(4, line.size() - 4 - kVersion.size());
    if (target.find_first_of(" \t?#") != std::string_view::npos)
        return false;
    req.method = "GET";
    req.version = "HTTP/1.1";
    req.target = std::string(target);
    req.path = req.target;
    for (std::size_t pos = eol + 2; pos < head.size(); pos = eol + 2) {
        eol = head.find("\r\n", pos);
        const std::string_view header = head.substr(pos, eol - pos);
        if (header.empty())
            break;
        const std::size_t colon = header.find(':');
        const std::string_view name = header.substr(0, colon);
        std::string_view value = header.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        if (equalsIgnoreCase(name, "Range") || equalsIgnoreCase(name, "If-Range") ||
            equalsIgnoreCase(name, "Expect"))
            return false;
        if (equalsIgnoreCase(name, "Connection")) {
            std::string lower(value);
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (lower.find("close") != std::string::npos)
                return false;
        }
        if (!value.empty()) // httplib drops headers without a value
            req.headers.emplace(std::string(name), std::string(value));
    }
    return true;
}

} // namespace reelgate::server::http
