#pragma once
// Checks at the edge, run on a worker after httplib parsed the head and before any body byte
// is read (pre-routing and the Expect: 100-continue answer):
//  - text: the decoded path, every query parameter and every header value (httplib percent-
//    decodes those too) must be UTF-8 without control characters (tab allowed in headers);
//  - body: above maxBodyBytes, or chunked, only on a streaming route (method + path regex) and
//    only when the gate accepts the caller (e.g. valid credentials).
// A refusal fills `res` with the JSON error (the bytes are never echoed) and marks the
// connection to close. Also fixes Range answers httplib gets wrong (past the end -> 416 with
// "Content-Range: bytes */size"; an end past the size is clamped; several ranges -> whole body).
// Thread-safe once built.

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace reelgate::server::http {

class RequestGuard {
public:
    using Gate = std::function<bool(const httplib::Request&)>;

    RequestGuard(std::size_t maxBodyBytes,
                 const std::vector<std::pair<std::string, std::string>>& streamingRoutes,
                 std::shared_ptr<Gate> gate);

    // True when the request was refused (res filled, connection closing).
    bool refuseText(const httplib::Request& req, httplib::Response& res) const;
    bool refuseBody(const httplib::Request& req, httplib::Response& res) const;

    // Before routing: several ranges are answered with the whole body.
    static void simplifyRanges(httplib::Request& req);
    // A request with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
    // 6.3); httplib would read one until the client hangs up, so the length is made explicit.
    static void frameEmptyBody(httplib::Request& req);
    // After ranges were applied, before the head is written (post-routing handler).
    static void fixRanges(const httplib::Request& req, httplib::Response& res);

private:
    std::size_t maxBodyBytes_;
    std::vector<std::pair<std::string, std::regex>> streamingRoutes_;
    std::shared_ptr<Gate> gate_;
};

} // namespace reelgate::server::http
