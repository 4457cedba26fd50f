#pragma once
// The request heads the event loop answers itself (ConnectionServer::answerInline), parsed as
// httplib would parse them: "GET <path> HTTP/1.1", printable ASCII throughout, no query, no
// fragment and no %-escape (httplib decodes those: such a request goes to a worker), no Range,
// If-Range, Expect or "Connection: close". Headers without a value are dropped, as httplib
// drops them. `head` is a complete head RequestHead accepted (CRLF lines, ends with a blank
// line). False: a worker and httplib take the request instead. Pure function; thread-safe.
// Fuzzed by tests/fuzz/fuzz_inline.cpp.

#include <httplib.h>

#include <string_view>

namespace reelgate::server::http {

bool parseInlineRequest(std::string_view head, httplib::Request& req);

} // namespace reelgate::server::http
