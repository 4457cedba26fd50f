#include "http/RequestGuard.h"

#include "http/Connection.h"
#include "http/JsonResponse.h"
#include "reelgate/core/Text.h"

#include <charconv>
#include <string_view>

namespace reelgate::server::http {
namespace {

constexpr std::size_t kMaxTextChars = 64 * 1024; // the head itself is capped far below

void refuse(httplib::Response& res, int status, const std::string& code,
            const std::string& message) {
    sendError(res, status, code, message);
    res.set_header("Connection", "close");
    closeAfterResponse();
}

// The reason `text` is not acceptable, or empty.
std::string textProblem(std::string_view text, bool allowTab) {
    core::TextRules rules;
    rules.maxChars = kMaxTextChars;
    std::string copy;
    if (allowTab && text.find('\t') != std::string_view::npos) {
        copy.assign(text);
        for (char& c : copy)
            if (c == '\t')
                c = ' ';
        text = copy;
    }
    const core::TextProblem problem = core::checkText(text, rules);
    return problem == core::TextProblem::None ? std::string() : core::describe(problem, rules);
}

std::uint64_t declaredLength(const httplib::Request& req) {
    // RequestHead already refused a malformed or repeated Content-Length.
    const std::string value = req.get_header_value("Content-Length");
    std::uint64_t length = 0;
    std::from_chars(value.data(), value.data() + value.size(), length);
    return length;
}

} // namespace

RequestGuard::RequestGuard(std::size_t maxBodyBytes,
                           const std::vector<std::pair<std::string, std::string>>& streamingRoutes,
                           std::shared_ptr<Gate> gate)
    : maxBodyBytes_(maxBodyBytes)
    , gate_(std::move(gate)) {
    for (const auto& [method, pattern] : streamingRoutes)
        streamingRoutes_.emplace_back(method, std::regex(pattern));
}

bool RequestGuard::refuseText(const httplib::Request& req, httplib::Response& res) const {
    if (const std::string why = textProblem(req.path, false); !why.empty()) {
        refuse(res, 400, "invalid_text", "The request path " + why + ".");
        return true;
    }
    for (const auto& [name, value] : req.params) {
        const std::string nameWhy = textProblem(name, false);
        const std::string valueWhy = textProblem(value, false);
        if (!nameWhy.empty() || !valueWhy.empty()) {
            refuse(res, 400, "invalid_text",
                   nameWhy.empty()
                       ? "The query parameter '" + core::printable(name, 40) + "' " + valueWhy + "."
                       : "A query parameter name " + nameWhy + ".");
            return true;
        }
    }
    for (const auto& [name, value] : req.headers) {
        // Names are tokens (RequestHead checked them), so they can be named safely.
        if (const std::string why = textProblem(value, true); !why.empty()) {
            refuse(res, 400, "invalid_text", "The header '" + name + "' " + why + ".");
            return true;
        }
    }
    return false;
}

bool RequestGuard::refuseBody(const httplib::Request& req, httplib::Response& res) const {
    const bool chunked = req.has_header("Transfer-Encoding");
    const std::uint64_t length = declaredLength(req);
    if (!chunked && length <= maxBodyBytes_)
        return false;
    bool streaming = false;
    for (const auto& [method, pattern] : streamingRoutes_)
        if (req.method == method && std::regex_match(req.path, pattern))
            streaming = true;
    if (!streaming) {
        if (chunked)
            refuse(res, 411, "length_required", "Send a Content-Length with the body.");
        else
            refuse(res, 413, "payload_too_large",
                   "The request body is larger than " + std::to_string(maxBodyBytes_) + " bytes.");
        return true;
    }
    if (!gate_ || !*gate_ || !(*gate_)(req)) {
        refuse(res, 401, "unauthorized", "Sign in before sending a large body.");
        return true;
    }
    return false;
}

void RequestGuard::frameEmptyBody(httplib::Request& req) {
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
        req.set_header("Content-Length", "0");
}

void RequestGuard::simplifyRanges(httplib::Request& req) {
    if (req.ranges.size() > 1)
        req.ranges.clear();
}

void RequestGuard::fixRanges(const httplib::Request& req, httplib::Response& res) {
    if (req.ranges.size() != 1 || !res.has_header("Content-Range"))
        return;
    // apply_ranges wrote "bytes first-last/size": the size is what the handler answered with.
    const std::string applied = res.get_header_value("Content-Range");
    const auto slash = applied.rfind('/');
    std::size_t size = 0;
    if (slash == std::string::npos ||
        std::from_chars(applied.data() + slash + 1, applied.data() + applied.size(), size).ec !=
            std::errc())
        return;
    const auto [first, last] = req.ranges[0];
    const bool satisfiable =
        first < 0 ? (last > 0 && size > 0) : static_cast<std::size_t>(first) < size;
    if (!satisfiable) {
        res.status = 416;
        res.content_provider_ = nullptr;
        res.content_length_ = 0;
        res.headers.erase("Content-Type");
        res.headers.erase("Content-Length");
        res.headers.erase("Content-Range");
        sendError(res, 416, "range_not_satisfiable", "The requested range is not available.");
        res.set_header("Content-Range", "bytes */" + std::to_string(size));
        res.set_header("Content-Length", std::to_string(res.body.size()));
        return;
    }
    if (first >= 0 && last >= 0 && static_cast<std::size_t>(last) >= size) {
        // httplib sizes the answer from the asked end: clamp it to the body (the request is
        // ours to adjust: process_request owns it, only this hook sees it as const).
        auto& ranges = const_cast<httplib::Request&>(req).ranges;
        ranges[0].second = static_cast<ssize_t>(size) - 1;
        const std::size_t length = size - static_cast<std::size_t>(first);
        res.headers.erase("Content-Range");
        res.set_header("Content-Range", "bytes " + std::to_string(first) + "-" +
                                            std::to_string(size - 1) + "/" + std::to_string(size));
        res.headers.erase("Content-Length");
        res.set_header("Content-Length",
                       std::to_string(res.content_provider_ ? length : res.body.size()));
    }
}

} // namespace reelgate::server::http
