#pragma once
// Where a request head ends in the bytes a connection has buffered, and how its body is framed.
// The event loop hands a connection to a worker only with a complete head; httplib then parses
// the same bytes. Rules are stricter than httplib's so that the two can never disagree about
// where one request ends and the next begins (request smuggling):
//  - every line ends with CRLF (httplib skips bare-LF lines; we refuse them), no folded lines,
//    header names are tokens (no "Content-Length :");
//  - Content-Length is one run of digits, given once; Transfer-Encoding is "chunked" only and
//    never together with Content-Length;
//  - at most maxHeaders header lines and maxHeadBytes bytes (431 beyond).
// Pure function; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reelgate::server::http {

struct HeadLimits {
    std::size_t maxHeadBytes = 16 * 1024;
    std::size_t maxHeaders = 100;
};

struct RequestHead {
    enum class State { Incomplete = 1, Complete, Invalid };
    State state = State::Incomplete;
    std::size_t headBytes = 0;       // Complete: bytes up to and including the blank line
    std::uint64_t contentLength = 0; // Complete: declared body bytes (0 when none)
    bool chunked = false;            // Complete: Transfer-Encoding: chunked
    int status = 0;                  // Invalid: 400 or 431
    std::string code;                // Invalid: error code for the JSON envelope
    std::string message;             // Invalid: what was wrong (never the bytes themselves)
};

RequestHead scanRequestHead(std::string_view buffered, const HeadLimits& limits);

} // namespace reelgate::server::http
